package org.cnemarket.wallet.keystore;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * Ethereum "Web3 Secret Storage" (V3) keystores. The private key is encrypted with AES-128-CTR
 * under the first half of a scrypt- (or PBKDF2-) derived key; the MAC is {@code
 * keccak256(derivedKey[16..32] || ciphertext)}, which is how a wrong password is told apart from a
 * good one. Files written here open in geth and web3j, and theirs open here.
 */
public final class Keystore {
  private static final int DKLEN = 32;
  private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  private static final String CIPHER = "aes-128-ctr";

  private Keystore() {}

  /** Encrypts {@code key} under {@code password} into V3 keystore JSON. */
  public static String encrypt(
      Secp256k1.KeyPair key, char[] password, KdfParams kdf, SecureRandom random) {
    byte[] salt = new byte[32];
    byte[] iv = new byte[16];
    random.nextBytes(salt);
    random.nextBytes(iv);
    byte[] pw = utf8(password);
    byte[] derived;
    try {
      derived = SCrypt.generate(pw, salt, kdf.n(), kdf.r(), kdf.p(), DKLEN);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
    byte[] plain = Abi.uint256(key.privateKey());
    byte[] cipherText = aesCtr(Arrays.copyOfRange(derived, 0, 16), iv, plain);
    Arrays.fill(plain, (byte) 0);
    byte[] mac = Keccak.hash(Arrays.copyOfRange(derived, 16, 32), cipherText);
    Arrays.fill(derived, (byte) 0);

    Map<String, Object> kdfParams = new LinkedHashMap<>();
    kdfParams.put("dklen", (long) DKLEN);
    kdfParams.put("n", (long) kdf.n());
    kdfParams.put("p", (long) kdf.p());
    kdfParams.put("r", (long) kdf.r());
    kdfParams.put("salt", bare(salt));
    Map<String, Object> crypto = new LinkedHashMap<>();
    crypto.put("cipher", CIPHER);
    crypto.put("ciphertext", bare(cipherText));
    crypto.put("cipherparams", Map.of("iv", bare(iv)));
    crypto.put("kdf", "scrypt");
    crypto.put("kdfparams", kdfParams);
    crypto.put("mac", bare(mac));
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("address", key.address().substring(2));
    file.put("crypto", crypto);
    file.put("id", uuid(random).toString());
    file.put("version", 3L);
    return Json.write(file);
  }

  /**
   * Decrypts V3 keystore JSON; a MAC mismatch is reported as {@link
   * KeystoreException.Reason#WRONG_PASSWORD}.
   */
  public static Secp256k1.KeyPair decrypt(String json, char[] password) throws KeystoreException {
    Fields file = parse(json);
    try {
      if (file.longValue("version") != 3) {
        throw invalid(
            "only version 3 keystores are supported, not version " + file.longValue("version"));
      }
      // geth writes "crypto"; some old tools wrote "Crypto".
      Fields crypto = file.has("crypto") ? file.object("crypto") : file.object("Crypto");
      String cipher = crypto.string("cipher");
      if (!CIPHER.equals(cipher)) {
        throw invalid("unsupported cipher '" + cipher + "' (only " + CIPHER + ")");
      }
      byte[] iv = Hex.decode(crypto.object("cipherparams").string("iv"), 16);
      byte[] cipherText = Hex.decode(crypto.string("ciphertext"));
      byte[] mac = Hex.decode(crypto.string("mac"), 32);
      byte[] derived = derive(crypto, password);
      byte[] expected = Keccak.hash(Arrays.copyOfRange(derived, 16, 32), cipherText);
      if (!MessageDigest.isEqual(expected, mac)) {
        throw new KeystoreException(
            KeystoreException.Reason.WRONG_PASSWORD,
            "wrong password: the keystore's MAC does not match");
      }
      byte[] plain = aesCtr(Arrays.copyOfRange(derived, 0, 16), iv, cipherText);
      Arrays.fill(derived, (byte) 0);
      Secp256k1.KeyPair key;
      try {
        key = Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, plain));
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
      if (file.has("address")) {
        String stated = normalizeAddress(file.string("address"));
        if (!stated.equals(key.address())) {
          throw invalid(
              "the keystore says address " + stated + " but its key is for " + key.address());
        }
      }
      return key;
    } catch (JsonException e) {
      throw invalid(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** The address a keystore states, read without the password (V3 files keep it in the clear). */
  public static String address(String json) throws KeystoreException {
    Fields file = parse(json);
    try {
      return normalizeAddress(file.string("address"));
    } catch (IllegalArgumentException e) {
      throw invalid("the keystore has no valid address: " + e.getMessage());
    }
  }

  /** Reads and decrypts a keystore file. */
  public static Secp256k1.KeyPair read(Path file, char[] password) throws KeystoreException {
    return decrypt(readText(file), password);
  }

  /** The address of a keystore file, without decrypting it. */
  public static String readAddress(Path file) throws KeystoreException {
    return address(readText(file));
  }

  /**
   * Writes a new keystore file readable by its owner only; never overwrites an existing file
   * (losing a key loses its escrow and history).
   */
  public static void write(
      Path file, Secp256k1.KeyPair key, char[] password, KdfParams kdf, SecureRandom random)
      throws KeystoreException {
    String json = encrypt(key, password, kdf, random);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new KeystoreException(
          KeystoreException.Reason.EXISTS,
          "a keystore already exists at " + file + "; refusing to overwrite it");
    } catch (IOException e) {
      throw new KeystoreException(
          KeystoreException.Reason.IO, "cannot write the keystore " + file + ": " + e, e);
    }
  }

  private static String readText(Path file) throws KeystoreException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeystoreException(KeystoreException.Reason.MISSING, "no keystore at " + file);
    } catch (IOException e) {
      throw new KeystoreException(
          KeystoreException.Reason.IO, "cannot read the keystore " + file + ": " + e, e);
    }
  }

  private static Fields parse(String json) throws KeystoreException {
    try {
      return Fields.of(Json.parse(json), "keystore");
    } catch (JsonException e) {
      throw invalid("not a keystore: " + e.getMessage());
    }
  }

  private static byte[] derive(Fields crypto, char[] password) throws KeystoreException {
    String kdf = crypto.string("kdf");
    Fields p = crypto.object("kdfparams");
    int dklen = p.intValue("dklen");
    if (dklen < 32 || dklen > 64) {
      throw invalid("kdfparams.dklen must be between 32 and 64");
    }
    byte[] salt = Hex.decode(p.string("salt"));
    byte[] pw = utf8(password);
    try {
      switch (kdf) {
        case "scrypt" -> {
          // The record checks the bounds before any memory is committed.
          KdfParams params = new KdfParams(p.intValue("n"), p.intValue("r"), p.intValue("p"));
          return SCrypt.generate(pw, salt, params.n(), params.r(), params.p(), dklen);
        }
        case "pbkdf2" -> {
          String prf = p.string("prf");
          if (!"hmac-sha256".equals(prf)) {
            throw invalid("unsupported pbkdf2 prf '" + prf + "' (only hmac-sha256)");
          }
          int c = p.intValue("c");
          if (c < 1 || c > MAX_PBKDF2_ITERATIONS) {
            throw invalid("pbkdf2 iteration count out of range: " + c);
          }
          PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
          gen.init(pw, salt, c);
          return ((KeyParameter) gen.generateDerivedParameters(dklen * 8)).getKey();
        }
        default -> throw invalid("unsupported kdf '" + kdf + "' (only scrypt and pbkdf2)");
      }
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] aesCtr(byte[] key16, byte[] iv, byte[] input) {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, "AES"), new IvParameterSpec(iv));
      return c.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128-CTR is not available in this JVM", e);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    if (b.hasArray()) {
      Arrays.fill(b.array(), (byte) 0);
    }
    return out;
  }

  private static String normalizeAddress(String a) {
    String s = a.toLowerCase(Locale.ROOT);
    String hex = s.startsWith("0x") ? s : "0x" + s;
    Hex.decode(hex, 20);
    return hex;
  }

  private static String bare(byte[] b) {
    return Hex.encode(b).substring(2);
  }

  private static UUID uuid(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long hi = ByteBuffer.wrap(b, 0, 8).getLong();
    long lo = ByteBuffer.wrap(b, 8, 8).getLong();
    return new UUID(hi, lo);
  }

  private static KeystoreException invalid(String message) {
    return new KeystoreException(KeystoreException.Reason.INVALID, "invalid keystore: " + message);
  }
}
