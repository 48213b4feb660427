package org.cnemarket.core.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.crypto.PersonalSign;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * A small client of the engine's REST API, shared by the wallet and the demo. Every call has a
 * deadline; a refusal surfaces as {@link MarketClientException} carrying the problem body.
 */
public final class MarketClient implements AutoCloseable {
  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private volatile String bearer;

  private MarketClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * A client of the engine at {@code baseUrl} (e.g. http://127.0.0.1:8080) with a per-call
   * deadline.
   */
  public static MarketClient connect(String baseUrl, Duration timeout) {
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    URI uri;
    try {
      uri = URI.create(b);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + baseUrl, e);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException(
          "the engine URL must start with http:// or https://: " + baseUrl);
    }
    return new MarketClient(uri, timeout);
  }

  /** Sends {@code Authorization: Bearer token} from now on (null to stop). */
  public MarketClient withBearer(String token) {
    this.bearer = token;
    return this;
  }

  /**
   * Signs in as {@code key}: fetches the engine's EIP-4361 challenge, personal-signs it and sends
   * the bearer JWT it returns with every later call. Returns the token.
   */
  public String login(Secp256k1.KeyPair key) throws MarketClientException {
    Fields challenge = get("/v1/auth/challenge?address=" + key.address());
    String message = challenge.string("message");
    var sig = PersonalSign.sign(message, key);
    Fields token = post("/v1/auth/login", Map.of("message", message, "signature", sig.toHex()));
    this.bearer = token.string("token");
    return bearer;
  }

  public Fields get(String path) throws MarketClientException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
  }

  public Fields post(String path, Map<String, Object> body) throws MarketClientException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))),
        path);
  }

  public Fields put(String path, Map<String, Object> body) throws MarketClientException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))),
        path);
  }

  private Fields send(HttpRequest.Builder b, String path) throws MarketClientException {
    b.timeout(timeout).header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MarketClientException(
          0,
          "unreachable",
          "cannot reach the engine at "
              + base
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MarketClientException(0, "interrupted", "interrupted while calling " + path, null);
    }
    Object parsed;
    try {
      parsed = resp.body() == null || resp.body().isEmpty() ? Map.of() : Json.parse(resp.body());
    } catch (JsonException e) {
      throw new MarketClientException(
          resp.statusCode(),
          "bad-response",
          "the engine answered "
              + path
              + " with something that is not JSON (HTTP "
              + resp.statusCode()
              + ")",
          null);
    }
    Fields f = Fields.of(parsed instanceof Map ? parsed : Map.of("items", parsed), "response");
    if (resp.statusCode() >= 400) {
      throw MarketClientException.ofProblem(resp.statusCode(), f);
    }
    return f;
  }

  @Override
  public void close() {
    // java.net.http.HttpClient gained close() only in Java 21; nothing to release on 17.
  }
}
