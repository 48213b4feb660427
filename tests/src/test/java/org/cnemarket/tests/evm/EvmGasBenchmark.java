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
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.ledger.evm.EvmConfig;
import org.cnemarket.engine.ledger.evm.EvmLedger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gas of root-only settlement on anvil for batches of 1, 100, 1,000 and 10,000 trades. The market
 * population is fixed (50 providers buying energy, 50 microgrids selling it); a batch's trades are
 * spread over them round-robin (every buyer and seller of the population trades once N >= 50),
 * every touched bid is closed. Not part of the default test run:
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
  void settlementGasPerTradeFallsAsBatchesGrow() throws Exception {
    SecureRandom random = new SecureRandom();
    List<String> rows = new ArrayList<>();
    Map<Integer, Long> perTrade = new LinkedHashMap<>();
    try (AnvilNode anvil = AnvilNode.start();
        EvmLedger ledger =
            EvmLedger.connect(EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0)))) {
      Eip712.Domain domain = ledger.domain();
      List<Secp256k1.KeyPair> buyers = new ArrayList<>();
      List<Secp256k1.KeyPair> sellers = new ArrayList<>();
      for (int i = 0; i < BUYERS; i++) {
        Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(random);
        ledger.register(Registration.sign(domain, k, Role.PROVIDER, "provider-" + i, 1));
        ledger.deposit("fund-" + k.address(), k.address(), 100_000_000);
        buyers.add(k);
      }
      for (int i = 0; i < SELLERS; i++) {
        Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(random);
        ledger.register(Registration.sign(domain, k, Role.MICROGRID, "microgrid-" + i, 1));
        sellers.add(k);
      }
      long round = 0;
      for (int n : new int[] {1, 100, 1_000, 10_000}) {
        round++;
        int b = Math.min(BUYERS, n);
        int s = Math.min(SELLERS, n);
        long perBuyerTrades = (n + b - 1) / b;
        long perSellerTrades = (n + s - 1) / s;
        List<SignedOrder> bids = new ArrayList<>();
        List<SignedOrder> offers = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          SignedOrder o =
              SignedOrder.sign(
                  domain,
                  new Order(
                      OrderKind.ENERGY_BID,
                      buyers.get(i).address(),
                      SLOT,
                      1,
                      perBuyerTrades * TRADE_WH,
                      100_000,
                      EnergySource.NONE,
                      0,
                      0,
                      0,
                      round,
                      0),
                  buyers.get(i));
          ledger.acceptOrder(o);
          bids.add(o);
        }
        for (int i = 0; i < s; i++) {
          SignedOrder o =
              SignedOrder.sign(
                  domain,
                  new Order(
                      OrderKind.ENERGY_OFFER,
                      sellers.get(i).address(),
                      SLOT,
                      1,
                      perSellerTrades * TRADE_WH,
                      80_000,
                      EnergySource.SOLAR,
                      10_000,
                      20_000,
                      0,
                      round,
                      0),
                  sellers.get(i));
          ledger.acceptOrder(o);
          offers.add(o);
        }
        List<Trade> trades = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          SignedOrder buy = bids.get(i % b);
          SignedOrder sell =
              offers.get((i + i / b) % s); // every block of b trades shifts the pairing
          String buyId = buy.id(domain);
          String sellId = sell.id(domain);
          trades.add(
              new Trade(
                  Trade.tradeId(buyId, sellId, round, i),
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
                  Units.carbonMg(TRADE_WH, 20_000)));
        }
        List<SignedOrder> orders = new ArrayList<>(bids);
        orders.addAll(offers);
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
        long gas = ledger.gasUsed(r.txId());
        perTrade.put(n, gas / n);
        rows.add(String.format(Locale.ROOT, "| %,d | %d | %,d | %,d |", n, accounts, gas, gas / n));
        // the settled trades are still provable against the stored root
        assertThat(
                ledger.verifyTrade(
                    batch.batchId(),
                    trades.get(n - 1),
                    MerkleTree.of(trades.stream().map(Trade::leaf).toList()).proof(n - 1)))
            .isTrue();
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("| trades per batch | accounts moved | gas per batch | gas per trade |\n");
    md.append("|---:|---:|---:|---:|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    System.out.println(md);
    Path out = Path.of("target", "evm-gas.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    assertThat(perTrade.get(100)).isLessThan(perTrade.get(1));
    assertThat(perTrade.get(1_000)).isLessThan(perTrade.get(100));
    assertThat(perTrade.get(10_000)).isLessThan(perTrade.get(1_000)).isLessThanOrEqualTo(1_000);
  }
}
