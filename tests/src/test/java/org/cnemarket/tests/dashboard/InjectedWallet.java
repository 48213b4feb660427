package org.cnemarket.tests.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.PersonalSign;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * A browser wallet for the dashboard test: an EIP-1193 provider announced through EIP-6963,
 * injected into every page before its scripts run, whose signatures come from a test key held here,
 * in the test. It implements {@code personal_sign} and {@code eth_signTypedData_v4} the way wallets
 * do, from the typed data's own {@code types} (not from the engine's code), so an order the
 * dashboard describes wrongly would be signed wrongly and refused by the engine.
 */
final class InjectedWallet implements AutoCloseable {
  private final Secp256k1.KeyPair key;
  private final HttpServer server;

  /** Every signing request the page made: method and its parameters. */
  final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();

  InjectedWallet(Secp256k1.KeyPair key) throws IOException {
    this.key = key;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sign", this::sign);
    server.start();
  }

  /** The page script: the provider and its EIP-6963 announcement. */
  String script() {
    return """
        (() => {
          const SIGNER = 'http://127.0.0.1:%d/sign';
          const ADDRESS = '%s';
          const provider = {
            async request({ method, params = [] }) {
              if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [ADDRESS];
              if (method === 'eth_chainId') return '0x7a69';
              const r = await fetch(SIGNER, { method: 'POST', body: JSON.stringify({ method, params }) });
              const j = await r.json();
              if (!r.ok) { const e = new Error(j.error); e.code = 4200; throw e; }
              return j.result;
            },
            on() {}, removeListener() {},
          };
          const info = Object.freeze({ uuid: '6f0b7c1e-2d4a-4d8e-9a51-3c1f0d2e7b90', name: 'Test Wallet',
            icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiLz4=',
            rdns: 'org.cnemarket.testwallet' });
          const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider',
            { detail: Object.freeze({ info, provider }) }));
          window.addEventListener('eip6963:requestProvider', announce);
          announce();
        })();
        """
        .formatted(server.getAddress().getPort(), key.address());
  }

  private void sign(HttpExchange ex) throws IOException {
    int status = 200;
    String body;
    try {
      Map<String, Object> req =
          Json.parseObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(req);
      String method = (String) req.get("method");
      List<?> params = (List<?>) req.get("params");
      String result =
          switch (method) {
            case "personal_sign" -> {
              require(params.get(1), "personal_sign");
              String data = (String) params.get(0);
              String message =
                  data.startsWith("0x")
                      ? new String(Hex.decode(data), StandardCharsets.UTF_8)
                      : data;
              yield PersonalSign.sign(message, key).toHex();
            }
            case "eth_signTypedData_v4" -> {
              require(params.get(0), "eth_signTypedData_v4");
              Object td = params.get(1) instanceof String s ? Json.parse(s) : params.get(1);
              yield key.sign(typedDataDigest(asMap(td))).toHex();
            }
            default -> throw new IllegalArgumentException("unsupported method " + method);
          };
      body = Json.write(Map.of("result", result));
    } catch (RuntimeException e) {
      status = 400;
      body = Json.write(Map.of("error", String.valueOf(e.getMessage())));
    }
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  private void require(Object from, String method) {
    if (!key.address().equalsIgnoreCase(String.valueOf(from))) {
      throw new IllegalArgumentException(
          method + " for " + from + ", but this wallet holds " + key.address());
    }
  }

  // ---- EIP-712 from the typed data's own types, as eth_signTypedData_v4 does ----

  static byte[] typedDataDigest(Map<String, Object> td) {
    Map<String, Object> types = asMap(td.get("types"));
    return Keccak.hash(
        new byte[] {0x19, 0x01},
        hashStruct(types, "EIP712Domain", asMap(td.get("domain"))),
        hashStruct(types, (String) td.get("primaryType"), asMap(td.get("message"))));
  }

  static byte[] hashStruct(Map<String, Object> types, String type, Map<String, Object> data) {
    ByteArrayOutputStream enc = new ByteArrayOutputStream();
    enc.writeBytes(Keccak.hash(encodeType(types, type)));
    for (Object f : (List<?>) types.get(type)) {
      Map<String, Object> field = asMap(f);
      enc.writeBytes(
          encodeValue(types, (String) field.get("type"), data.get((String) field.get("name"))));
    }
    return Keccak.hash(enc.toByteArray());
  }

  static String encodeType(Map<String, Object> types, String primary) {
    TreeSet<String> deps = new TreeSet<>();
    collect(types, primary, deps);
    deps.remove(primary);
    List<String> order = new ArrayList<>();
    order.add(primary);
    order.addAll(deps);
    StringBuilder sb = new StringBuilder();
    for (String t : order) {
      sb.append(t).append('(');
      List<String> fields = new ArrayList<>();
      for (Object f : (List<?>) types.get(t)) {
        fields.add(asMap(f).get("type") + " " + asMap(f).get("name"));
      }
      sb.append(String.join(",", fields)).append(')');
    }
    return sb.toString();
  }

  private static void collect(Map<String, Object> types, String type, TreeSet<String> found) {
    if (!types.containsKey(type) || !found.add(type)) {
      return;
    }
    for (Object f : (List<?>) types.get(type)) {
      collect(types, ((String) asMap(f).get("type")).replaceAll("\\[\\d*]$", ""), found);
    }
  }

  private static byte[] encodeValue(Map<String, Object> types, String type, Object value) {
    if (types.containsKey(type)) {
      return hashStruct(types, type, asMap(value));
    }
    if (value == null) {
      throw new IllegalArgumentException("missing value of type " + type);
    }
    return switch (type) {
      case "string" -> Keccak.hash((String) value);
      case "address" -> Abi.address(((String) value).toLowerCase(Locale.ROOT));
      case "bool" -> Abi.uint(Boolean.TRUE.equals(value) ? 1 : 0);
      default -> {
        if (type.matches("uint\\d+")) {
          BigInteger v = new BigInteger(value.toString());
          int bits = Integer.parseInt(type.substring(4));
          if (v.signum() < 0 || v.bitLength() > bits) {
            throw new IllegalArgumentException(value + " does not fit " + type);
          }
          yield Abi.uint256(v);
        }
        throw new IllegalArgumentException("this test wallet does not sign " + type);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, not " + o);
    }
    return (Map<String, Object>) o;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
