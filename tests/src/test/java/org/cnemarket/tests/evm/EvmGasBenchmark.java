package org.cnemarket.tests.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.cnemarket.contracts.AnvilNode;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.ledger.evm.EvmConfig;
import org.cnemarket.engine.ledger.evm.EvmLedger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * All-in gas per trade on anvil for batches of 1, 100, 1,000 and 10,000 trades: the acceptance
 * transactions of the orders behind the trades ({@code acceptOrderBatch}, through {@link
 * EvmLedger#acceptOrders}) plus the settlement transaction ({@code settleBatch}). The market
 * population is fixed (50 providers buying energy, 50 microgrids selling it) and a batch's trades
 * are spread over it round-robin (every buyer and seller of the population trades once N >= 50);
 * every touched bid is closed. Two order shapes:
 *
 * <ul>
 *   <li>{@code per account}: each account places one order per round, filled by all its trades (100
 *       orders behind 10,000 trades);
 *   <li>{@code per trade}: every trade has a bid and an offer of its own (2 orders per trade, the
 *       most orders a batch of trades can have behind it).
 * </ul>
 *
 * Not part of the default test run:
 *
 * <pre>
 * ./mvnw -q -pl tests -am verify -Dcne.excludedGroups= -Dgroups=benchmark -Dtest=EvmGasBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Writes the table to {@code tests/target/evm-gas.md}.
 */
@Tag("benchmark")
class EvmGasBenchmark {
  private static final int BUYERS = 50;
  private static final int SELLERS = 50;
  private static final long SLOT = 490_000;
  private static final long TRADE_WH = 10;
  private static final long PRICE_MICROS = 90_000;

  @Test
  void allInGasPerTradeFallsAsBatchesGrow() throws Exception {
    SecureRandom random = new SecureRandom();
    List<String> rows = new ArrayList<>();
    Map<String, Long> allIn = new LinkedHashMap<>();
    try (AnvilNode anvil = AnvilNode.start();
        EvmLedger ledger =
            EvmLedger.connect(EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0)))) {
      Eip712.Domain domain = ledger.domain();
      List<Secp256k1.KeyPair> buyers = new ArrayList<>();
      List<Secp256k1.KeyPair> sellers = new ArrayList<>();
      for (int i = 0; i < BUYERS; i++) {
        Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(random);
        ledger.register(Registration.sign(domain, k, Role.PROVIDER, "provider-" + i, 1));
        ledger.deposit("fund-" + k.address(), k.address(), 1_000_000_000);
        buyers.add(k);
      }
      for (int i = 0; i < SELLERS; i++) {
        Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(random);
        ledger.register(Registration.sign(domain, k, Role.MICROGRID, "microgrid-" + i, 1));
        sellers.add(k);
      }
      long round = 0;
      for (boolean perTrade : new boolean[] {false, true}) {
        String shape = perTrade ? "per trade" : "per account";
        for (int n : new int[] {1, 100, 1_000, 10_000}) {
          round++;
          int b = Math.min(BUYERS, n);
          int s = Math.min(SELLERS, n);
          List<SignedOrder> bids = new ArrayList<>();
          List<SignedOrder> offers = new ArrayList<>();
          List<Trade> trades = new ArrayList<>(n);
          if (perTrade) {
            for (int i = 0; i < n; i++) {
              SignedOrder buy = bid(domain, buyers.get(i % b), TRADE_WH, round * 100_000 + i);
              SignedOrder sell =
                  offer(domain, sellers.get((i + i / b) % s), TRADE_WH, round * 100_000 + i);
              bids.add(buy);
              offers.add(sell);
              trades.add(trade(domain, round, i, buy, sell));
            }
          } else {
            long perBuyerTrades = (n + b - 1) / b;
            long perSellerTrades = (n + s - 1) / s;
            for (int i = 0; i < b; i++) {
              bids.add(bid(domain, buyers.get(i), perBuyerTrades * TRADE_WH, round));
            }
            for (int i = 0; i < s; i++) {
              offers.add(offer(domain, sellers.get(i), perSellerTrades * TRADE_WH, round));
            }
            for (int i = 0; i < n; i++) {
              // every block of b trades shifts the pairing
              trades.add(trade(domain, round, i, bids.get(i % b), offers.get((i + i / b) % s)));
            }
          }
          List<SignedOrder> orders = new ArrayList<>(bids);
          orders.addAll(offers);

          long cursor = ledger.status().height() * 1_000_000L + 999_999L;
          List<OrderAcceptance> answers = ledger.acceptOrders(orders);
          assertThat(answers).allMatch(a -> a.status() == OrderAcceptance.Status.ACCEPTED);
          List<String> acceptTxs = acceptanceTxs(ledger, cursor);
          long acceptGas = 0;
          for (String tx : acceptTxs) {
            acceptGas += ledger.gasUsed(tx);
          }
          long calldataGas = 0;
          long calldataFloor = 0;
          for (SignedOrder o : orders) {
            byte[] packed = PackedOrders.pack(List.of(o));
            calldataGas += calldataGas(packed);
            calldataFloor += calldataFloor(packed);
          }

          String root = Hex.encode(MerkleTree.of(trades.stream().map(Trade::leaf).toList()).root());
          SettlementBatch batch =
              new SettlementBatch(
                  SettlementBatch.batchId(domain, round),
                  round,
                  SLOT,
                  root,
                  Hex.encode(Keccak.hash("inputs " + round)),
                  Hex.encode(Keccak.hash("outputs " + round)),
                  trades,
                  orders,
                  bids.stream().map(o -> o.id(domain)).toList());
          long accounts =
              trades.stream().flatMap(t -> Stream.of(t.buyer(), t.seller())).distinct().count();
          SettlementReceipt r = ledger.settle(batch);
          long settleGas = ledger.gasUsed(r.txId());
          long perTradeGas = (acceptGas + settleGas) / n;
          allIn.put(shape + " " + n, perTradeGas);
          rows.add(
              String.format(
                  Locale.ROOT,
                  "| %s | %,d | %,d | %d | %d | %,d | %,d | %,d | %,d | %,d | %,d | %,d |",
                  shape,
                  n,
                  orders.size(),
                  acceptTxs.size(),
                  accounts,
                  acceptGas,
                  calldataGas,
                  calldataFloor,
                  settleGas,
                  acceptGas / n,
                  settleGas / n,
                  perTradeGas));
          // the settled trades are still provable against the stored root, and every bid's
          // escrow is closed: what the round locked is paid out or refunded
          assertThat(
                  ledger.verifyTrade(
                      batch.batchId(),
                      trades.get(n - 1),
                      MerkleTree.of(trades.stream().map(Trade::leaf).toList()).proof(n - 1)))
              .isTrue();
          for (Secp256k1.KeyPair k : buyers) {
            assertThat(ledger.balance(k.address()).escrowMicros()).isZero();
          }
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(
        "| orders | trades | orders accepted | acceptance txs | accounts moved | acceptance gas"
            + " | order calldata (16/4 gas a byte) | order calldata floor (EIP-7623)"
            + " | settlement gas | acceptance gas / trade"
            + " | settlement gas / trade | all-in gas / trade |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    System.out.println(md);
    Path out = Path.of("target", "evm-gas.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    assertThat(allIn.get("per account 100")).isLessThan(allIn.get("per account 1"));
    assertThat(allIn.get("per account 1000")).isLessThan(allIn.get("per account 100"));
    assertThat(allIn.get("per account 10000"))
        .isLessThan(allIn.get("per account 1000"))
        .isLessThanOrEqualTo(1_000);
    assertThat(allIn.get("per trade 10000")).isLessThan(allIn.get("per trade 1"));
  }

  /** The transactions of the order batches accepted after {@code cursor}. */
  private static List<String> acceptanceTxs(EvmLedger ledger, long cursor) throws Exception {
    List<String> txs = new ArrayList<>();
    for (LedgerEvent e : ledger.events(cursor, 100_000)) {
      if (e.type().equals("ORDER_ACCEPTED") || e.type().equals("ORDERS_ACCEPTED")) {
        String tx = String.valueOf(Json.parseObject(e.payloadJson()).get("txId"));
        if (!txs.contains(tx)) {
          txs.add(tx);
        }
      }
    }
    return txs;
  }

  /** Intrinsic calldata gas of bytes: 16 per non-zero byte, 4 per zero byte. */
  private static long calldataGas(byte[] data) {
    long g = 0;
    for (byte x : data) {
      g += x == 0 ? 4 : 16;
    }
    return g;
  }

  /**
   * EIP-7623's floor for the same bytes: 10 gas per token, a zero byte one token and any other
   * four. A transaction pays max(21,000 + standard calldata + execution, 21,000 + floor).
   */
  private static long calldataFloor(byte[] data) {
    long tokens = 0;
    for (byte x : data) {
      tokens += x == 0 ? 1 : 4;
    }
    return 10 * tokens;
  }

  private static SignedOrder bid(
      Eip712.Domain domain, Secp256k1.KeyPair buyer, long quantity, long nonce) {
    return SignedOrder.sign(
        domain,
        new Order(
            OrderKind.ENERGY_BID,
            buyer.address(),
            SLOT,
            1,
            quantity,
            100_000,
            EnergySource.NONE,
            0,
            0,
            0,
            nonce,
            0),
        buyer);
  }

  private static SignedOrder offer(
      Eip712.Domain domain, Secp256k1.KeyPair seller, long quantity, long nonce) {
    return SignedOrder.sign(
        domain,
        new Order(
            OrderKind.ENERGY_OFFER,
            seller.address(),
            SLOT,
            1,
            quantity,
            80_000,
            EnergySource.SOLAR,
            10_000,
            20_000,
            0,
            nonce,
            0),
        seller);
  }

  private static Trade trade(
      Eip712.Domain domain, long round, int seq, SignedOrder buy, SignedOrder sell) {
    String buyId = buy.id(domain);
    String sellId = sell.id(domain);
    return new Trade(
        Trade.tradeId(buyId, sellId, round, seq),
        round,
        SLOT,
        OrderKind.Market.ENERGY,
        buyId,
        sellId,
        buy.order().trader(),
        sell.order().trader(),
        TRADE_WH,
        PRICE_MICROS,
        Units.amountMicros(TRADE_WH, PRICE_MICROS),
        TRADE_WH,
        Units.carbonMg(TRADE_WH, 20_000));
  }
}
