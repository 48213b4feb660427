package org.cnemarket.engine.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cnemarket.core.model.Role;

/**
 * Issues and checks the engine's ES256 JWTs ({@code sub} = address, {@code role}, short {@code
 * exp}). The P-256 signing key is generated on first start and kept in the engine database, so
 * tokens survive a restart and every instance sharing the database accepts them.
 */
public final class TokenService {
  static final String ISSUER = "cne-market-engine";
  private static final String KEY_SETTING = "auth.jwt.es256.jwk";

  private final ECKey key;
  private final ECDSASigner signer;
  private final ECDSAVerifier verifier;
  private final Clock clock;
  private final long ttlSeconds;
  // Keyed by the token's SHA-256, so a lookup reveals nothing about other tokens through timing.
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final int cacheLimit;

  /** By default, at most this many verified tokens are remembered (about 200 bytes each). */
  static final int CACHE_LIMIT = 65_536;

  private record Verified(Principal principal, long expiresAtMillis, long notBeforeMillis) {}

  /** A verdict on a bearer token: the principal, or why it is refused. */
  public record Check(Principal principal, String problem) {}

  public TokenService(
      Supplier<Optional<String>> loadKey, Consumer<String> saveKey, Clock clock, long ttlSeconds) {
    this(loadKey, saveKey, clock, ttlSeconds, CACHE_LIMIT);
  }

  TokenService(
      Supplier<Optional<String>> loadKey,
      Consumer<String> saveKey,
      Clock clock,
      long ttlSeconds,
      int cacheLimit) {
    this.cacheLimit = cacheLimit;
    try {
      Optional<String> stored = loadKey.get();
      if (stored.isPresent()) {
        this.key = ECKey.parse(stored.get());
      } else {
        this.key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        saveKey.accept(key.toJSONString());
      }
      this.signer = new ECDSASigner(key);
      this.verifier = new ECDSAVerifier(key.toPublicJWK());
    } catch (JOSEException | ParseException e) {
      throw new IllegalStateException("cannot set up the JWT signing key: " + e.getMessage(), e);
    }
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  /** A signed token for {@code address} in {@code role}, valid for the configured time. */
  public String issue(String address, Role role) {
    return issue(address, role, clock.millis() + ttlSeconds * 1000);
  }

  /** A token expiring at {@code expiresAtMillis} (tests use this for expired tokens). */
  public String issue(String address, Role role, long expiresAtMillis) {
    long now = clock.millis();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(address)
            .claim("role", role.name())
            .issueTime(new Date(now))
            .notBeforeTime(new Date(now - 1000))
            .expirationTime(new Date(expiresAtMillis))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a JWT failed", e);
    }
    return jwt.serialize();
  }

  /**
   * Checks signature, algorithm, issuer and expiry. A token that passed is remembered (by its
   * SHA-256) until it expires, so its ES256 signature is verified once, not on every request;
   * expiry is still checked on every call.
   */
  public Check check(String token) {
    String digest = sha256(token);
    Verified known = verified.get(digest);
    long now = clock.millis();
    if (known != null) {
      if (known.expiresAtMillis() <= now) {
        verified.remove(digest);
        return new Check(null, "the bearer token expired; sign in again");
      }
      if (known.notBeforeMillis() > now + 60_000) {
        return new Check(null, "the bearer token is not valid yet");
      }
      return new Check(known.principal(), null);
    }
    Check c = verify(token);
    if (c.principal() != null) {
      remember(digest, c.principal(), token);
    }
    return c;
  }

  private Check verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return new Check(null, "the bearer token's signature is not the engine's");
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      long now = clock.millis();
      if (!ISSUER.equals(c.getIssuer())
          || c.getSubject() == null
          || c.getExpirationTime() == null) {
        return new Check(null, "the bearer token is not one the engine issued");
      }
      if (c.getExpirationTime().getTime() <= now) {
        return new Check(null, "the bearer token expired; sign in again");
      }
      if (c.getNotBeforeTime() != null && c.getNotBeforeTime().getTime() > now + 60_000) {
        return new Check(null, "the bearer token is not valid yet");
      }
      return new Check(new Principal(c.getSubject(), Role.parse(c.getStringClaim("role"))), null);
    } catch (ParseException | JOSEException | IllegalArgumentException e) {
      return new Check(null, "the bearer token is malformed");
    }
  }

  /** Verified tokens remembered now (bounded by the cache limit). */
  public int cachedTokens() {
    return verified.size();
  }

  private void remember(String digest, Principal principal, String token) {
    try {
      JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
      long nbf = c.getNotBeforeTime() == null ? Long.MIN_VALUE : c.getNotBeforeTime().getTime();
      if (verified.size() >= cacheLimit) {
        long now = clock.millis();
        verified.values().removeIf(v -> v.expiresAtMillis() <= now);
        if (verified.size() >= cacheLimit) {
          // Still full of live tokens: start over rather than grow; they are verified again once.
          verified.clear();
        }
      }
      verified.put(digest, new Verified(principal, c.getExpirationTime().getTime(), nbf));
    } catch (ParseException e) {
      // Parsed a moment ago; nothing to remember if it cannot be parsed again.
    }
  }

  private static String sha256(String token) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The verification key as a public JWK (for clients that check tokens themselves). */
  public String publicJwk() {
    return key.toPublicJWK().toJSONString();
  }

  /** Where the engine stores the key, for wiring. */
  public static String keySetting() {
    return KEY_SETTING;
  }
}
