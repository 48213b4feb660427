package org.cnemarket.engine.ledger.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;

/**
 * What an auditor keeps of a ledger it verified: the head block's number and hash and the node's
 * signature of that hash. Blocks are hash-chained, so any later chain that still holds this block
 * unchanged extends everything the auditor saw; a chain without it was truncated or rewritten. The
 * node address pins the key every block must be signed with.
 *
 * @param number the head block's number when the checkpoint was taken
 * @param hash the head block's hash
 * @param nodeAddress the node key's address that signs every block
 * @param signature the node's signature of {@code hash}
 * @param takenAtMillis when the auditor took it
 */
public record Checkpoint(
    long number, String hash, String nodeAddress, String signature, long takenAtMillis) {

  /** True when the node's signature of the hash verifies. */
  public boolean signed() {
    try {
      return Secp256k1.verify(Hex.decode(hash, 32), Signature.fromHex(signature), nodeAddress);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("number", number);
    m.put("hash", hash);
    m.put("nodeAddress", nodeAddress);
    m.put("signature", signature);
    m.put("takenAtMillis", takenAtMillis);
    return m;
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, Json.write(toJson()) + "\n", StandardCharsets.UTF_8);
  }

  /** Reads a checkpoint file; refuses one whose signature does not verify. */
  public static Checkpoint read(Path file) throws IOException {
    Fields f =
        Fields.of(Json.parse(Files.readString(file, StandardCharsets.UTF_8).trim()), "checkpoint");
    Checkpoint c =
        new Checkpoint(
            f.longValue("number"),
            f.string("hash"),
            f.string("nodeAddress"),
            f.string("signature"),
            f.longValue("takenAtMillis"));
    if (!c.signed()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + ": the node's signature of block "
              + c.number()
              + " does not verify for "
              + c.nodeAddress());
    }
    return c;
  }
}
