package org.cnemarket.engine.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.crypto.Secp256k1;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * The demo participants' keys as Ethereum V3 keystores under {@code <data>/keystores/}, so a user
 * can sign in to the dashboard or use {@code cne-wallet} as any of them. One password protects them
 * all; it is printed once, when the files are written (scrypt with web3j's light parameters, so the
 * browser decrypts them in about a second).
 */
public final class DemoKeystores {
  public static final String DIR = "keystores";

  private DemoKeystores() {}

  /** What {@link #ensure} found or wrote: the folder, and the password when it was just chosen. */
  public record Written(Path dir, String password, Map<String, Path> files) {}

  /** Writes the keystores unless the folder exists already (the keys are the same on every run). */
  public static Written ensure(
      Path dataDir, Map<String, Secp256k1.KeyPair> keys, SecureRandom random) throws IOException {
    Path dir = dataDir.resolve(DIR);
    Map<String, Path> files = new LinkedHashMap<>();
    keys.keySet().forEach(name -> files.put(name, dir.resolve(name + ".json")));
    if (Files.isDirectory(dir)) {
      return new Written(dir, null, files);
    }
    byte[] b = new byte[9];
    random.nextBytes(b);
    String h = HexFormat.of().formatHex(b);
    String password = "cne-" + h.substring(0, 6) + "-" + h.substring(6, 12) + "-" + h.substring(12);
    Path tmp = Files.createTempDirectory(dataDir, DIR + ".tmp");
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<String, Secp256k1.KeyPair> e : keys.entrySet()) {
      WalletFile w;
      try {
        w = Wallet.createLight(password, ECKeyPair.create(e.getValue().privateKey()));
      } catch (CipherException ex) {
        throw new IOException(
            "cannot encrypt the keystore of " + e.getKey() + ": " + ex.getMessage(), ex);
      }
      Files.writeString(tmp.resolve(e.getKey() + ".json"), json.writeValueAsString(w));
    }
    // All or nothing: a crash half-way leaves no folder that a later run would take as complete.
    Files.move(tmp, dir);
    return new Written(dir, password, files);
  }

  /** Tells the user where the keystores are and, the one time it is known, their password. */
  public static void describe(
      Written w, Map<String, String> roles, Map<String, Secp256k1.KeyPair> keys, PrintStream out) {
    if (w.password() != null) {
      out.printf(
          "Keystores (Ethereum V3 JSON) of the demo's participants written to %s%n", w.dir());
      out.printf("Their password (shown once, keep it): %s%n", w.password());
    } else {
      out.printf(
          "Keystores of the demo's participants: %s (their password was shown when they were written;"
              + " delete the folder to write them again with a new one)%n",
          w.dir());
    }
    for (Map.Entry<String, Path> f : w.files().entrySet()) {
      out.printf(
          "  %-12s %-9s %s  %s%n",
          f.getKey(), roles.get(f.getKey()), keys.get(f.getKey()).address(), f.getValue());
    }
  }
}
