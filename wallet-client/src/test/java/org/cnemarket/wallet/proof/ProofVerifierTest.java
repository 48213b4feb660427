package org.cnemarket.wallet.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {
  private static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
  private static final long ROUND = 4;
  private static final long SLOT = 493_021;

  private final List<Trade> trades = new ArrayList<>();
  private final MerkleTree tree;

  ProofVerifierTest() {
    for (int i = 0; i < 5; i++) {
      String buy = Hex.encode(Keccak.hash("buy" + i));
      String sell = Hex.encode(Keccak.hash("sell" + i));
      long q = 1_000 + i;
      trades.add(
          new Trade(
              Trade.tradeId(buy, sell, ROUND, i),
              ROUND,
              SLOT,
              OrderKind.Market.ENERGY,
              buy,
              sell,
              "0x" + "aa".repeat(20),
              "0x" + "bb".repeat(20),
              q,
              120_000,
              q * 120,
              i,
              0));
    }
    tree = MerkleTree.of(trades.stream().map(Trade::leaf).toList());
  }

  private Fields proof(int i, Trade shown, String batchId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", trades.get(i).tradeId());
    m.put("batchId", batchId);
    m.put("round", ROUND);
    m.put("index", (long) i);
    m.put("leaf", trades.get(i).leafHex());
    m.put("proof", tree.proof(i).stream().map(Hex::encode).toList());
    m.put("merkleRoot", Hex.encode(tree.root()));
    m.put("settled", true);
    m.put("trade", RecordCodec.trade(shown));
    return Fields.of(Json.parse(Json.write(m)), "proof");
  }

  private Optional<Fields> ledger(String root) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", SettlementBatch.batchId(DOMAIN, ROUND));
    m.put("round", ROUND);
    m.put("slot", SLOT);
    m.put("merkleRoot", root);
    m.put("tradeCount", (long) trades.size());
    return Optional.of(Fields.of(Json.parse(Json.write(m)), "batch"));
  }

  @Test
  void verifiesEveryTradeAgainstTheLedgerRoot() {
    String batch = SettlementBatch.batchId(DOMAIN, ROUND);
    for (int i = 0; i < trades.size(); i++) {
      ProofCheck c =
          ProofVerifier.verify(
              DOMAIN,
              trades.get(i).tradeId(),
              proof(i, trades.get(i), batch),
              ledger(Hex.encode(tree.root())));
      assertThat(c.verified()).as(c.reason()).isTrue();
      assertThat(c.ledgerRoot()).contains(Hex.encode(tree.root()));
      assertThat(c.leaf()).contains(trades.get(i).leafHex());
    }
  }

  @Test
  void anAlteredTradeDoesNotVerifyEvenIfTheEngineVouchesForIt() {
    Trade t = trades.get(2);
    Trade inflated =
        new Trade(
            t.tradeId(),
            t.round(),
            t.slot(),
            t.market(),
            t.buyOrderId(),
            t.sellOrderId(),
            t.buyer(),
            t.seller(),
            t.quantity() * 2,
            t.priceMicros(),
            t.quantity() * 2 * 120,
            t.greenWh(),
            t.carbonMg());
    ProofCheck c =
        ProofVerifier.verify(
            DOMAIN,
            t.tradeId(),
            proof(2, inflated, SettlementBatch.batchId(DOMAIN, ROUND)),
            ledger(Hex.encode(tree.root())));
    assertThat(c.status()).isEqualTo(ProofCheck.Status.INVALID_PROOF);
  }

  @Test
  void theEnginesRootIsNotTrusted() {
    ProofCheck c =
        ProofVerifier.verify(
            DOMAIN,
            trades.get(0).tradeId(),
            proof(0, trades.get(0), SettlementBatch.batchId(DOMAIN, ROUND)),
            ledger(Hex.encode(Keccak.hash("other"))));
    assertThat(c.status()).isEqualTo(ProofCheck.Status.INVALID_PROOF);
    assertThat(c.reason()).contains("ledger's root");
  }

  @Test
  void reportsBatchesNotOnTheLedgerAndMismatches() {
    String batch = SettlementBatch.batchId(DOMAIN, ROUND);
    assertThat(
            ProofVerifier.verify(
                    DOMAIN,
                    trades.get(1).tradeId(),
                    proof(1, trades.get(1), batch),
                    Optional.empty())
                .status())
        .isEqualTo(ProofCheck.Status.NOT_ON_LEDGER);
    assertThat(
            ProofVerifier.verify(
                    DOMAIN,
                    trades.get(1).tradeId(),
                    proof(1, trades.get(1), Hex.encode(Keccak.hash("x"))),
                    ledger(Hex.encode(tree.root())))
                .status())
        .isEqualTo(ProofCheck.Status.MISMATCH);
    assertThat(
            ProofVerifier.verify(
                    DOMAIN,
                    trades.get(1).tradeId(),
                    proof(1, trades.get(3), batch),
                    ledger(Hex.encode(tree.root())))
                .status())
        .isEqualTo(ProofCheck.Status.MISMATCH);
  }
}
