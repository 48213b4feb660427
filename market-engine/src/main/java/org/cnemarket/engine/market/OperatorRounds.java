package org.cnemarket.engine.market;

import java.util.List;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.settlement.SettlementOutbox;

/**
 * What the operator does with rounds: closes one (its result announced, then its batch settled) and
 * reprices one from its recorded input.
 */
public final class OperatorRounds {
  private final MarketService market;
  private final RoundQueries rounds;
  private final SettlementOutbox outbox;
  private final Announcer roundClosed;
  private final Repricer repricer;

  /** Announces a closed round with its trades, as the close made them. */
  @FunctionalInterface
  public interface Announcer {
    void announce(long round, List<Trade> trades);
  }

  /**
   * {@code roundClosed} announces a closed round by number (the notifications); the market knows no
   * notification channel.
   */
  public OperatorRounds(
      MarketService market,
      RoundQueries rounds,
      SettlementOutbox outbox,
      Announcer roundClosed,
      Repricer repricer) {
    this.market = market;
    this.rounds = rounds;
    this.outbox = outbox;
    this.roundClosed = roundClosed;
    this.repricer = repricer;
  }

  /** Closes the round of {@code slot}; with {@code settle}, starts a settlement pass if idle. */
  public RoundQueries.RoundView close(long slot, boolean settle) {
    var res = market.closeRound(slot);
    // The round's result goes out before its settlement does.
    roundClosed.announce(res.record().round(), res.trades());
    if (settle) {
      // Never wait behind a pass already running: it or the next one settles this round.
      outbox.settlePendingIfIdle();
    }
    return rounds.get(res.record().round());
  }

  /** The round repriced from its recorded input, compared with what it recorded. */
  public Repricer.Verdict reprice(long round) {
    rounds.get(round);
    return LedgerProblems.call(() -> repricer.reprice(round));
  }
}
