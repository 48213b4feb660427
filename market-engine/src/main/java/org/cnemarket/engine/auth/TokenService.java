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
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cnemarket.core.model.Role;

/**
 * Issues and checks the engine's ES256 JWTs ({@code sub} = address, {@code role}, short
 * {@code exp}). The P-256 signing key is generated on first start and kept in the engine database,
 * so tokens survive a restart and every instance sharing the database accepts them.
 */
public final class TokenService {
  static final String ISSUER = "cne-market-engine";
  private static final String KEY_SETTING = "auth.jwt.es256.jwk";

  private final ECKey key;
  private final ECDSASigner signer;
  private final ECDSAVerifier verifier;
  private final Clock clock;
  private final long ttlSeconds;

  /** A verdict on a bearer token: the principal, or why it is refused. */
  public record Check(Principal principal, String problem) {}

  public TokenService(Supplier<Optional<String>> loadKey, Consumer<String> saveKey, Clock clock, long ttlSeconds) {
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
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(address)
        .claim("role", role.name())
        .issueTime(new Date(now))
        .notBeforeTime(new Date(now - 1000))
        .expirationTime(new Date(expiresAtMillis))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a JWT failed", e);
    }
    return jwt.serialize();
  }

  /** Checks signature, algorithm, issuer and expiry. */
  public Check check(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return new Check(null, "the bearer token's signature is not the engine's");
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      long now = clock.millis();
      if (!ISSUER.equals(c.getIssuer()) || c.getSubject() == null || c.getExpirationTime() == null) {
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

  /** The verification key as a public JWK (for clients that check tokens themselves). */
  public String publicJwk() {
    return key.toPublicJWK().toJSONString();
  }

  /** Where the engine stores the key, for wiring. */
  public static String keySetting() {
    return KEY_SETTING;
  }
}
