package org.cnemarket.engine.store;

import java.sql.Connection;

/**
 * The engine database and its stores, one per aggregate, over one {@link Database} handle: the
 * engine is a single writer, every store's transaction serialises on the one connection, and a
 * change that spans aggregates (an order and its escrow in the account view, a closed round with
 * its trades, the orders' fills and its outbox entry, a settled batch and its credit movements)
 * commits in one transaction.
 */
public final class MarketStore implements AutoCloseable {
  private final Database db;
  private final Settings settings;
  private final Participants participants;
  private final Deposits deposits;
  private final Orders orders;
  private final Rounds rounds;
  private final Trades trades;
  private final RoundTrees trees;
  private final OutboxEntries outbox;
  private final AccountViews accounts;
  private final MechanismChanges mechanisms;
  private final PowerModels powerModels;
  private final IncentiveContracts contracts;
  private final SignInNonces nonces;
  private final IdempotencyRecords idempotency;
  private final MeterReadings readings;

  /** Opens the stores over {@code connection}, creating or updating the tables first. */
  public MarketStore(Connection connection) {
    this(new Database(connection, "engine database"));
  }

  public MarketStore(Database db) {
    this.db = db;
    EngineSchema.migrate(db);
    this.settings = new Settings(db);
    this.participants = new Participants(db);
    this.deposits = new Deposits(db);
    this.orders = new Orders(db);
    this.rounds = new Rounds(db);
    this.trades = new Trades(db);
    this.trees = new RoundTrees(db, trades);
    this.outbox = new OutboxEntries(db);
    this.accounts = new AccountViews(db);
    this.mechanisms = new MechanismChanges(db);
    this.powerModels = new PowerModels(db);
    this.contracts = new IncentiveContracts(db);
    this.nonces = new SignInNonces(db);
    this.idempotency = new IdempotencyRecords(db);
    this.readings = new MeterReadings(db);
  }

  /** The database handle, for the other stores of the same database. */
  public Database database() {
    return db;
  }

  public Settings settings() {
    return settings;
  }

  public Participants participants() {
    return participants;
  }

  public Deposits deposits() {
    return deposits;
  }

  public Orders orders() {
    return orders;
  }

  public Rounds rounds() {
    return rounds;
  }

  public Trades trades() {
    return trades;
  }

  /** Each closed round's Merkle tree, for trades' proofs. */
  public RoundTrees trees() {
    return trees;
  }

  public OutboxEntries outbox() {
    return outbox;
  }

  public AccountViews accounts() {
    return accounts;
  }

  public MechanismChanges mechanisms() {
    return mechanisms;
  }

  public PowerModels powerModels() {
    return powerModels;
  }

  public IncentiveContracts contracts() {
    return contracts;
  }

  /** Sign-in (EIP-4361) nonces. */
  public SignInNonces signInNonces() {
    return nonces;
  }

  /** Responses to idempotent POSTs. */
  public IdempotencyRecords idempotency() {
    return idempotency;
  }

  /** Metered deliveries, and the database's readiness. */
  public MeterReadings meterReadings() {
    return readings;
  }

  /** What the engine holds that the ledger must hold too, read in one transaction. */
  public Holdings holdings() {
    return db.inTransaction(Holdings::read);
  }

  @Override
  public void close() {
    db.close();
  }
}
