package org.cnemarket.engine.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.PersonalSign;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.market.Refusal;
import org.cnemarket.engine.store.SignInNonces;

/**
 * Sign-in with an Ethereum key (EIP-4361): the engine hands out a message naming its domain, the
 * address, a single-use nonce and an expiry; the participant personal-signs it (EIP-191); the
 * engine checks the message is one it issued and unexpired, consumes the nonce, recovers the signer
 * and issues a JWT with the role the participant registered with.
 */
public final class SignIn {
  private static final Pattern MESSAGE =
      Pattern.compile(
          "(?s)^(?<domain>[^\\n]+) wants you to sign in with your Ethereum account:\\n(?<address>0x[0-9a-fA-F]{40})\\n\\n"
              + "[^\\n]*\\n\\nURI: (?<uri>[^\\n]+)\\nVersion: 1\\nChain ID: (?<chain>\\d+)\\nNonce: (?<nonce>[0-9a-f]{32})\\n"
              + "Issued At: (?<issued>[^\\n]+)\\nExpiration Time: (?<exp>[^\\n]+)$");

  private final SignInNonces store;
  private final TokenService tokens;
  private final Function<String, Optional<Participant>> participants;
  private final String domain;
  private final String uri;
  private final long chainId;
  private final long ttlSeconds;
  private final String operatorAddress;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public SignIn(
      SignInNonces store,
      TokenService tokens,
      Function<String, Optional<Participant>> participants,
      String domain,
      String uri,
      long chainId,
      long ttlSeconds,
      String operatorAddress,
      Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.participants = participants;
    this.domain = domain;
    this.uri = uri;
    this.chainId = chainId;
    this.ttlSeconds = ttlSeconds;
    this.operatorAddress = operatorAddress;
    this.clock = clock;
  }

  /** A fresh challenge for {@code address}: {message, nonce, expiresAt}. */
  public Map<String, Object> challenge(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    byte[] n = new byte[16];
    random.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant exp = now.plusSeconds(ttlSeconds);
    store.putNonce(nonce, a, exp.toEpochMilli());
    // EIP-4361 wants the EIP-55 checksummed address (the siwe library refuses any other form).
    String message =
        domain
            + " wants you to sign in with your Ethereum account:\n"
            + Hex.checksumAddress(a)
            + "\n\n"
            + "Sign in to CNE Market. This request will not trigger a transaction or cost anything.\n\n"
            + "URI: "
            + uri
            + "\nVersion: 1\nChain ID: "
            + chainId
            + "\nNonce: "
            + nonce
            + "\n"
            + "Issued At: "
            + now
            + "\nExpiration Time: "
            + exp;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", message);
    m.put("nonce", nonce);
    m.put("expiresAt", exp.toString());
    return m;
  }

  /** Checks a signed challenge and returns {token, tokenType, expiresIn, address, role}. */
  public Map<String, Object> login(String message, String signatureHex) {
    Matcher m = MESSAGE.matcher(message.replace("\r\n", "\n"));
    if (!m.matches()) {
      throw Refusal.unauthorized("the message is not a sign-in challenge from this engine");
    }
    String address = m.group("address").toLowerCase(Locale.ROOT);
    if (!domain.equals(m.group("domain"))
        || !uri.equals(m.group("uri"))
        || Long.parseLong(m.group("chain")) != chainId) {
      throw Refusal.unauthorized("the challenge names another domain, URI or chain");
    }
    Instant exp;
    try {
      exp = Instant.parse(m.group("exp"));
    } catch (RuntimeException e) {
      throw Refusal.unauthorized("the challenge's expiration time is malformed");
    }
    if (!exp.isAfter(clock.instant())) {
      throw Refusal.unauthorized("the challenge expired; ask for a new one");
    }
    Signature sig;
    try {
      sig = Signature.fromHex(signatureHex);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("signature: " + e.getMessage());
    }
    String signer = PersonalSign.recover(message, sig).orElse(null);
    if (!address.equals(signer)) {
      throw Refusal.unauthorized("the challenge is not signed by " + address);
    }
    // Nonce last: a bad signature must not burn the participant's challenge.
    if (!store.consumeNonce(m.group("nonce"), address, clock.millis())) {
      throw Refusal.unauthorized("the challenge's nonce is unknown, used or expired");
    }
    Role role;
    if (address.equals(operatorAddress)) {
      role = Role.OPERATOR;
    } else {
      role =
          participants
              .apply(address)
              .map(Participant::role)
              .orElseThrow(
                  () ->
                      Refusal.unauthorized(
                          address + " is not registered; register first (POST /v1/participants)"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("token", tokens.issue(address, role));
    out.put("tokenType", "Bearer");
    out.put("expiresIn", tokens.ttlSeconds());
    out.put("address", address);
    out.put("role", role.name());
    return out;
  }
}
