package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body over the 4 MiB limit (413) or a request line over the limit (414) is answered in full,
 * says {@code Connection: close}, and then the server closes the connection: a client never reuses
 * a connection the server will not read from again, and never sees it dropped before the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OversizedRequestTest {
  @TempDir static Path dir;

  Engine engine;
  int port;

  @BeforeAll
  void start() throws Exception {
    engine =
        Engine.start(
            EngineConfig.embedded(dir, 0, "operator-token-for-oversized"), Clock.systemUTC());
    port = URI.create(engine.baseUrl()).getPort();
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  /** Sends raw bytes on a fresh connection and reads until the server closes it (or 20 s pass). */
  String exchange(byte[] head, long bodyBytes) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(head);
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bodyBytes - sent));
      }
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void anOversizedBodyIsAnswered413WithConnectionCloseAndTheConnectionClosedAfterIt()
      throws Exception {
    long size = 5L << 20;
    String head =
        "POST /v1/participants HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + size
            + "\r\n\r\n";
    String answer = exchange(head.getBytes(StandardCharsets.ISO_8859_1), size);
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer.toLowerCase(Locale.ROOT))
        .contains("connection: close")
        .contains("application/problem+json");
  }

  @Test
  void aRequestLineOverTheServersLimitIsAnswered414WithConnectionClose() throws Exception {
    String head =
        "GET /v1/market?pad=" + "x".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    String answer = exchange(head.getBytes(StandardCharsets.ISO_8859_1), 0);
    assertThat(answer).contains(" 414 ");
    assertThat(answer.toLowerCase(Locale.ROOT))
        .contains("connection: close")
        .contains("application/problem+json");
  }

  @Test
  void anOverlongUriIsAnswered414AndTheKeepAliveConnectionServesTheNextRequest() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(engine.baseUrl() + "/v1/auditors?pad=" + "x".repeat(20_000)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"address\":\"0x12\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(414);
    assertThat(r.body()).contains("uri-too-long");
    for (int i = 0; i < 5; i++) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/health")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aRequestOnTheNextConnectionIsServed() throws Exception {
    exchange(
        ("POST /v1/participants HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                + (5L << 20)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1),
        5L << 20);
    String answer =
        exchange(
            "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1),
            0);
    assertThat(answer).startsWith("HTTP/1.1 200");
  }
}
