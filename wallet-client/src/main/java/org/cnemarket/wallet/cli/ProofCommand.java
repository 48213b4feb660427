package org.cnemarket.wallet.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.proof.ProofCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code proof}: verify a trade against the Merkle root on the ledger. Exit 1 when it does not
 * verify.
 */
@Command(
    name = "proof",
    mixinStandardHelpOptions = true,
    description = {
      "Verify that a trade is in its settlement batch on the ledger.",
      "The leaf is recomputed from the trade's fields and the Merkle path checked against the root read "
          + "from the ledger; exit 1 when it does not verify. Needs no keystore."
    })
final class ProofCommand extends WalletCommand {
  @Parameters(
      index = "0",
      paramLabel = "TRADE_ID",
      description = "The trade id (0x + 64 hex digits).")
  String tradeId;

  @Override
  int run() throws Exception {
    if (!tradeId.toLowerCase(Locale.ROOT).matches("0x[0-9a-f]{64}")) {
      throw new CliException(
          ExitCodes.USAGE, "invalid-argument", "not a trade id (0x + 64 hex digits): " + tradeId);
    }
    try (WalletApi api = readOnly()) {
      ProofCheck c = api.verifyTrade(tradeId);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("tradeId", c.tradeId());
      j.put("verified", c.verified());
      j.put("status", c.status().name());
      j.put("reason", c.reason());
      c.batchId().ifPresent(b -> j.put("batchId", b));
      c.ledgerRoot().ifPresent(r -> j.put("ledgerRoot", r));
      c.leaf().ifPresent(l -> j.put("leaf", l));
      j.put("proofLength", (long) c.proofLength());
      c.trade().ifPresent(t -> j.put("trade", RecordCodec.trade(t)));
      String text =
          (c.verified() ? "VERIFIED" : "NOT VERIFIED (" + c.status() + ")")
              + ": trade "
              + c.tradeId()
              + "\n  "
              + c.reason();
      if (c.verified()) {
        emit(j, text);
        return ExitCodes.OK;
      }
      if (!common.json) {
        ctx.err().println(text);
        ctx.err().flush();
      } else {
        emit(j, text);
      }
      return ExitCodes.NOT_VERIFIED;
    }
  }
}
