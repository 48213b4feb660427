package org.cnemarket.engine.ledger.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.engine.store.Db;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * The node's block-signing key, kept outside the ledger database: an Ethereum V3 keystore ({@code
 * node-key.json}, scrypt + AES-128-CTR) next to it, so whoever can edit the database rows cannot
 * re-sign blocks. The password comes from {@code CNE_NODE_KEY_PASSWORD}, or else from a generated
 * owner-only file {@code node-key.password} (keep it elsewhere in production). A key an older
 * version kept in {@code ledger_meta} is moved into the keystore and deleted from the table.
 */
final class NodeKeystore {
  static final String FILE = "node-key.json";
  static final String PASSWORD_FILE = "node-key.password";
  static final String PASSWORD_ENV = "CNE_NODE_KEY_PASSWORD";

  private NodeKeystore() {}

  static Secp256k1.KeyPair loadOrCreate(Path dir, Connection c) throws IOException, SQLException {
    String password = password(dir);
    Path file = dir.resolve(FILE);
    ObjectMapper json = ObjectMapperFactory.getObjectMapper();
    Optional<String> legacy = BlockChain.meta(c, "node.key");
    Secp256k1.KeyPair key;
    if (Files.exists(file)) {
      try {
        ECKeyPair k = Wallet.decrypt(password, json.readValue(file.toFile(), WalletFile.class));
        key = Secp256k1.KeyPair.fromPrivateKeyHex(String.format("%064x", k.getPrivateKey()));
      } catch (CipherException e) {
        throw new IOException(
            "cannot decrypt the node key " + file + " (" + PASSWORD_ENV + "?): " + e.getMessage(),
            e);
      }
    } else {
      key =
          legacy
              .map(Secp256k1.KeyPair::fromPrivateKeyHex)
              .orElseGet(() -> Secp256k1.KeyPair.generate(new SecureRandom()));
      try {
        WalletFile w =
            Wallet.createLight(
                password,
                ECKeyPair.create(new BigInteger(key.privateKeyHex().replace("0x", ""), 16)));
        Path tmp = dir.resolve(FILE + ".tmp");
        json.writeValue(tmp.toFile(), w);
        Files.move(tmp, file);
      } catch (CipherException e) {
        throw new IOException("cannot write the node keystore " + file + ": " + e.getMessage(), e);
      }
    }
    if (legacy.isPresent()) {
      try (PreparedStatement p =
          c.prepareStatement("DELETE FROM ledger_meta WHERE k = 'node.key'")) {
        p.executeUpdate();
      }
      Db.commit(c);
    }
    return key;
  }

  private static String password(Path dir) throws IOException {
    String env = System.getenv(PASSWORD_ENV);
    if (env != null && !env.isEmpty()) {
      return env;
    }
    Path f = dir.resolve(PASSWORD_FILE);
    if (Files.exists(f)) {
      return Files.readString(f, StandardCharsets.UTF_8).trim();
    }
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    String generated = HexFormat.of().formatHex(b);
    Files.writeString(f, generated + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the directory's permissions
    }
    return generated;
  }
}
