package org.cnemarket.wallet.proof;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;

/**
 * Checks a trade proof as an auditor would. Of the engine's answer only the trade's fields and the
 * sibling path are used; the leaf is recomputed ({@link Trade#leaf()}), the batch id is recomputed
 * from the domain and round, and the root comes from the ledger's batch record.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /**
   * @param domain the market's signing domain (fixes the batch id of each round)
   * @param tradeId the trade asked about
   * @param proof the engine's {@code /v1/trades/{id}/proof} body
   * @param ledgerBatch the ledger's {@code /v1/ledger/batches/{batchId}} body, or empty when the
   *     ledger has no such batch
   */
  public static ProofCheck verify(
      Eip712.Domain domain, String tradeId, Fields proof, Optional<Fields> ledgerBatch) {
    String id = tradeId.toLowerCase(Locale.ROOT);
    Trade trade;
    List<byte[]> path = new ArrayList<>();
    try {
      trade = RecordCodec.trade(proof.object("trade"));
      for (Object o : proof.list("proof")) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("proof entries must be hex strings");
        }
        path.add(Hex.decode(s, 32));
      }
    } catch (IllegalArgumentException e) {
      return ProofCheck.failed(
          id, ProofCheck.Status.MISMATCH, "the engine's proof is malformed: " + e.getMessage());
    }
    String leaf = trade.leafHex();
    String expectedBatch = SettlementBatch.batchId(domain, trade.round());
    if (!trade.tradeId().equals(id)) {
      return result(
          id,
          ProofCheck.Status.MISMATCH,
          "the engine answered with trade " + trade.tradeId(),
          trade,
          expectedBatch,
          null,
          leaf,
          path);
    }
    try {
      trade.validate();
    } catch (IllegalArgumentException e) {
      return result(
          id, ProofCheck.Status.MISMATCH, e.getMessage(), trade, expectedBatch, null, leaf, path);
    }
    String claimedBatch = proof.string("batchId", "").toLowerCase(Locale.ROOT);
    if (!claimedBatch.equals(expectedBatch)) {
      return result(
          id,
          ProofCheck.Status.MISMATCH,
          "the engine names batch "
              + claimedBatch
              + " but round "
              + trade.round()
              + " settles as batch "
              + expectedBatch,
          trade,
          expectedBatch,
          null,
          leaf,
          path);
    }
    if (ledgerBatch.isEmpty()) {
      return result(
          id,
          ProofCheck.Status.NOT_ON_LEDGER,
          "batch " + expectedBatch + " of round " + trade.round() + " is not on the ledger (yet)",
          trade,
          expectedBatch,
          null,
          leaf,
          path);
    }
    Fields b = ledgerBatch.get();
    String root;
    try {
      root = b.string("merkleRoot").toLowerCase(Locale.ROOT);
      if (b.longValue("round") != trade.round()
          || b.longValue("slot") != trade.slot()
          || !b.string("batchId").equalsIgnoreCase(expectedBatch)) {
        return result(
            id,
            ProofCheck.Status.MISMATCH,
            "the ledger's batch is for round "
                + b.longValue("round")
                + ", slot "
                + b.longValue("slot")
                + ", not the trade's",
            trade,
            expectedBatch,
            root,
            leaf,
            path);
      }
      Hex.decode(root, 32);
    } catch (IllegalArgumentException e) {
      return result(
          id,
          ProofCheck.Status.MISMATCH,
          "the ledger's batch record is malformed: " + e.getMessage(),
          trade,
          expectedBatch,
          null,
          leaf,
          path);
    }
    if (!MerkleTree.verify(path, Hex.decode(root, 32), trade.leaf())) {
      return result(
          id,
          ProofCheck.Status.INVALID_PROOF,
          "the path from the trade's leaf does not reach the" + " ledger's root " + root,
          trade,
          expectedBatch,
          root,
          leaf,
          path);
    }
    return result(
        id,
        ProofCheck.Status.VERIFIED,
        "the trade's leaf is in batch " + expectedBatch + " under the ledger's root " + root,
        trade,
        expectedBatch,
        root,
        leaf,
        path);
  }

  private static ProofCheck result(
      String id,
      ProofCheck.Status status,
      String reason,
      Trade trade,
      String batch,
      String root,
      String leaf,
      List<byte[]> path) {
    return new ProofCheck(
        id,
        status,
        reason,
        Optional.of(trade),
        Optional.ofNullable(batch),
        Optional.ofNullable(root),
        Optional.ofNullable(leaf),
        path.size());
  }
}
