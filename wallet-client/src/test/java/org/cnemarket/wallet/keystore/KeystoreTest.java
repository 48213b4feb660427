package org.cnemarket.wallet.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.cnemarket.core.crypto.Secp256k1;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.WalletUtils;

class KeystoreTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void roundTripsAKey() throws Exception {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    String json = Keystore.encrypt(key, "s3cret pässword".toCharArray(), KdfParams.LIGHT, RANDOM);
    assertThat(Keystore.address(json)).isEqualTo(key.address());
    assertThat(Keystore.decrypt(json, "s3cret pässword".toCharArray())).isEqualTo(key);
    assertThat(json)
        .contains("\"version\":3")
        .contains("\"kdf\":\"scrypt\"")
        .contains("aes-128-ctr")
        .doesNotContain(key.privateKeyHex().substring(2));
  }

  @Test
  void wrongPasswordIsReportedAsSuch() {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    String json = Keystore.encrypt(key, "right".toCharArray(), KdfParams.LIGHT, RANDOM);
    assertThatThrownBy(() -> Keystore.decrypt(json, "wrong".toCharArray()))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.WRONG_PASSWORD))
        .hasMessageContaining("wrong password");
  }

  @Test
  void writesOwnerOnlyFilesAndNeverOverwrites() throws Exception {
    Path file = dir.resolve("sub/key.json");
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    Keystore.write(file, key, "pw".toCharArray(), KdfParams.LIGHT, RANDOM);
    assertThat(Keystore.read(file, "pw".toCharArray())).isEqualTo(key);
    assertThat(Keystore.readAddress(file)).isEqualTo(key.address());
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertThatThrownBy(
            () ->
                Keystore.write(
                    file,
                    Secp256k1.KeyPair.generate(RANDOM),
                    "pw".toCharArray(),
                    KdfParams.LIGHT,
                    RANDOM))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.EXISTS));
    assertThat(Keystore.read(file, "pw".toCharArray())).isEqualTo(key);
  }

  @Test
  void missingAndCorruptFilesAreDistinguished() throws Exception {
    assertThatThrownBy(() -> Keystore.readAddress(dir.resolve("nope.json")))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.MISSING));
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version\":3}");
    assertThatThrownBy(() -> Keystore.read(bad, "pw".toCharArray()))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.INVALID));
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "not json");
    assertThatThrownBy(() -> Keystore.readAddress(garbage))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.INVALID));
  }

  @Test
  void refusesHostileScryptCost() {
    String json =
        "{\"address\":\""
            + "11".repeat(20)
            + "\",\"version\":3,\"crypto\":{\"cipher\":\"aes-128-ctr\","
            + "\"cipherparams\":{\"iv\":\""
            + "00".repeat(16)
            + "\"},\"ciphertext\":\""
            + "00".repeat(32)
            + "\","
            + "\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,\"n\":1073741824,\"r\":8,\"p\":1,\"salt\":\"00\"},"
            + "\"mac\":\""
            + "00".repeat(32)
            + "\"}}";
    assertThatThrownBy(() -> Keystore.decrypt(json, "pw".toCharArray()))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.INVALID));
  }

  @Test
  void decryptsWeb3jLightKeystores() throws Exception {
    ECKeyPair web3 = Keys.createEcKeyPair();
    WalletFile wf = Wallet.createLight("web3j password", web3);
    String json = MAPPER.writeValueAsString(wf);
    Secp256k1.KeyPair key = Keystore.decrypt(json, "web3j password".toCharArray());
    assertThat(key.privateKey()).isEqualTo(web3.getPrivateKey());
    assertThat(key.address()).isEqualTo("0x" + Keys.getAddress(web3));
    assertThatThrownBy(() -> Keystore.decrypt(json, "web3j passwort".toCharArray()))
        .isInstanceOfSatisfying(
            KeystoreException.class,
            e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.WRONG_PASSWORD));
  }

  @Test
  void decryptsAStandardKeystoreFileWrittenByWalletUtils() throws Exception {
    ECKeyPair web3 = Keys.createEcKeyPair();
    // Full scrypt (N = 2^18), the geth default: exercises the STANDARD parameters end to end.
    String name = WalletUtils.generateWalletFile("standard pw", web3, dir.toFile(), true);
    Path file = dir.resolve(name);
    assertThat(Keystore.readAddress(file)).isEqualTo("0x" + Keys.getAddress(web3));
    assertThat(Keystore.read(file, "standard pw".toCharArray()).privateKey())
        .isEqualTo(web3.getPrivateKey());
  }

  @Test
  void web3jDecryptsOurKeystores() throws Exception {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    Path file = dir.resolve("ours.json");
    Keystore.write(file, key, "our password".toCharArray(), KdfParams.LIGHT, RANDOM);
    Credentials c = WalletUtils.loadCredentials("our password", file.toFile());
    assertThat(c.getEcKeyPair().getPrivateKey()).isEqualTo(key.privateKey());
    assertThat(c.getAddress()).isEqualTo(key.address());
    WalletFile wf = MAPPER.readValue(new File(file.toString()), WalletFile.class);
    assertThat(Wallet.decrypt("our password", wf).getPrivateKey()).isEqualTo(key.privateKey());
    assertThatThrownBy(() -> Wallet.decrypt("not our password", wf))
        .hasMessageContaining("Invalid password");
  }

  @Test
  void web3jDecryptsOurStandardKeystores() throws Exception {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    String json = Keystore.encrypt(key, "pw".toCharArray(), KdfParams.STANDARD, RANDOM);
    WalletFile wf = MAPPER.readValue(json, WalletFile.class);
    assertThat(Wallet.decrypt("pw", wf).getPrivateKey()).isEqualTo(key.privateKey());
  }

  @Test
  void readsThePbkdf2TestVectorOfTheSecretStorageSpec() throws Exception {
    // The Web3 Secret Storage definition's PBKDF2 test vector (password "testpassword").
    String json =
        "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"},"
            + "\"ciphertext\":\"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46\",\"kdf\":\"pbkdf2\","
            + "\"kdfparams\":{\"c\":262144,\"dklen\":32,\"prf\":\"hmac-sha256\","
            + "\"salt\":\"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd\"},"
            + "\"mac\":\"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2\"},"
            + "\"id\":\"3198bc9c-6672-5ab3-d995-4942343ae5b6\",\"version\":3}";
    Secp256k1.KeyPair key = Keystore.decrypt(json, "testpassword".toCharArray());
    assertThat(key.privateKey())
        .isEqualTo(
            new BigInteger("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d", 16));
  }
}
