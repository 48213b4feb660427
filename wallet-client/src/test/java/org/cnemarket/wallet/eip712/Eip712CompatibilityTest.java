package org.cnemarket.wallet.eip712;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * market-core's EIP-712 hashing and secp256k1 signatures against web3j's independent
 * implementation, through the eth_signTypedData_v4 JSON document a wallet would be shown.
 */
class Eip712CompatibilityTest {
  private static final Eip712.Domain DOMAIN =
      Eip712.Domain.cne(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
  private static final ECKeyPair WEB3_KEY =
      ECKeyPair.create(
          new BigInteger("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16));
  private static final Secp256k1.KeyPair OUR_KEY =
      Secp256k1.KeyPair.fromPrivateKey(WEB3_KEY.getPrivateKey());

  /** Field list of an EIP-712 type string such as "Order(uint8 kind,address trader,...)". */
  static List<Map<String, Object>> fields(String typeString) {
    String inner = typeString.substring(typeString.indexOf('(') + 1, typeString.length() - 1);
    List<Map<String, Object>> out = new ArrayList<>();
    for (String f : inner.split(",")) {
      String[] p = f.trim().split(" ");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p[1]);
      m.put("type", p[0]);
      out.add(m);
    }
    return out;
  }

  static String typedData(String primaryType, String typeString, Map<String, Object> message) {
    Map<String, Object> types = new LinkedHashMap<>();
    types.put("EIP712Domain", fields(Eip712.DOMAIN_TYPE));
    types.put(primaryType, fields(typeString));
    Map<String, Object> domain = new LinkedHashMap<>();
    domain.put("name", DOMAIN.name());
    domain.put("version", DOMAIN.version());
    domain.put("chainId", DOMAIN.chainId());
    domain.put("verifyingContract", DOMAIN.verifyingContract());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("types", types);
    doc.put("primaryType", primaryType);
    doc.put("domain", domain);
    doc.put("message", message);
    return Json.write(doc);
  }

  static String orderTypedData(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", (long) o.kind().code());
    m.put("trader", o.trader());
    m.put("slot", o.slot());
    m.put("zone", o.zone());
    m.put("quantity", o.quantity());
    m.put("priceMicros", o.priceMicros());
    m.put("source", (long) o.source().code());
    m.put("greenBps", (long) o.greenBps());
    m.put("carbonMgPerKwh", o.carbonMgPerKwh());
    m.put("latencyMs", o.latencyMs());
    m.put("nonce", o.nonce());
    m.put("expiry", o.expiry());
    return typedData("Order", Eip712.ORDER_TYPE, m);
  }

  static String registrationTypedData(String account, Role role, String name, long nonce) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", account);
    m.put("role", (long) role.code());
    m.put("name", name);
    m.put("nonce", nonce);
    return typedData("Registration", Eip712.REGISTRATION_TYPE, m);
  }

  static byte[] web3jHash(String typedDataJson) throws Exception {
    return new StructuredDataEncoder(typedDataJson).hashStructuredData();
  }

  static Signature fromWeb3j(Sign.SignatureData s) {
    return new Signature(
        new BigInteger(1, s.getR()), new BigInteger(1, s.getS()), s.getV()[0] & 0xff);
  }

  static Sign.SignatureData toWeb3j(Signature s) {
    byte[] b = s.toBytes();
    return new Sign.SignatureData(
        b[64], Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64));
  }

  static String web3jRecover(byte[] hash, Signature s) throws Exception {
    return "0x" + Keys.getAddress(Sign.signedMessageHashToKey(hash, toWeb3j(s)));
  }

  static Order sampleOrder() {
    return new Order(
        OrderKind.ENERGY_BID,
        OUR_KEY.address(),
        493_021,
        7,
        1_500,
        120_000,
        EnergySource.NONE,
        5_000,
        0,
        0,
        1_751_000_000_123L,
        493_023);
  }

  @Test
  void orderDigestEqualsWeb3jsTypedDataHash() throws Exception {
    Order o = sampleOrder();
    assertThat(Hex.encode(Eip712.orderDigest(DOMAIN, o)))
        .isEqualTo(Hex.encode(web3jHash(orderTypedData(o))));
  }

  @Test
  void web3jSignatureRecoversWithOurs() throws Exception {
    Order o = sampleOrder();
    byte[] hash = web3jHash(orderTypedData(o));
    Signature sig = fromWeb3j(Sign.signMessage(hash, WEB3_KEY, false));
    assertThat(Secp256k1.recoverAddress(hash, sig)).contains(OUR_KEY.address());
    assertThat(new SignedOrder(o, sig).verify(DOMAIN)).isTrue();
  }

  @Test
  void ourSignatureRecoversWithWeb3j() throws Exception {
    Order o = sampleOrder();
    SignedOrder so = SignedOrder.sign(DOMAIN, o, OUR_KEY);
    byte[] hash = web3jHash(orderTypedData(o));
    assertThat(web3jRecover(hash, so.signature())).isEqualTo(OUR_KEY.address());
    // Both sign deterministically (RFC 6979, low s): the very same bytes.
    assertThat(so.signature()).isEqualTo(fromWeb3j(Sign.signMessage(hash, WEB3_KEY, false)));
  }

  @Test
  void anAlteredFieldChangesTheDigestAndFailsVerification() throws Exception {
    Order o = sampleOrder();
    SignedOrder so = SignedOrder.sign(DOMAIN, o, OUR_KEY);
    Order cheaper =
        new Order(
            o.kind(),
            o.trader(),
            o.slot(),
            o.zone(),
            o.quantity(),
            o.priceMicros() - 1,
            o.source(),
            o.greenBps(),
            o.carbonMgPerKwh(),
            o.latencyMs(),
            o.nonce(),
            o.expiry());
    assertThat(Eip712.orderDigest(DOMAIN, cheaper)).isNotEqualTo(Eip712.orderDigest(DOMAIN, o));
    assertThat(Hex.encode(Eip712.orderDigest(DOMAIN, cheaper)))
        .isEqualTo(Hex.encode(web3jHash(orderTypedData(cheaper))));
    assertThat(new SignedOrder(cheaper, so.signature()).verify(DOMAIN)).isFalse();
    byte[] alteredHash = web3jHash(orderTypedData(cheaper));
    assertThat(web3jRecover(alteredHash, so.signature())).isNotEqualTo(OUR_KEY.address());
    Eip712.Domain otherChain = Eip712.Domain.cne(1, DOMAIN.verifyingContract());
    assertThat(so.verify(otherChain)).isFalse();
  }

  @Provide
  Arbitrary<Order> orders() {
    Arbitrary<OrderKind> kind = Arbitraries.of(OrderKind.class);
    Arbitrary<Long> u64 = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xffffffffL);
    return Combinators.combine(
            kind,
            u64,
            u32,
            u64,
            u64,
            Arbitraries.of(EnergySource.class),
            Arbitraries.integers().between(0, 10_000),
            u32)
        .as(
            (k, slot, zone, qty, price, src, green, carbon) ->
                new Order(
                    k,
                    OUR_KEY.address(),
                    slot,
                    zone,
                    qty,
                    price,
                    src,
                    green,
                    carbon,
                    zone ^ 5,
                    slot ^ 3,
                    qty ^ 9));
  }

  @Property(tries = 40)
  void everyOrderHashesAsWeb3jDoes(@ForAll("orders") Order o) throws Exception {
    byte[] hash = web3jHash(orderTypedData(o));
    assertThat(Eip712.orderDigest(DOMAIN, o)).isEqualTo(hash);
    assertThat(web3jRecover(hash, SignedOrder.sign(DOMAIN, o, OUR_KEY).signature()))
        .isEqualTo(OUR_KEY.address());
  }

  @Test
  void registrationDigestAndSignaturesMatchWeb3j() throws Exception {
    String name = "Nordic Edge DC – Ålesund";
    long nonce = 42;
    byte[] hash = web3jHash(registrationTypedData(OUR_KEY.address(), Role.PROVIDER, name, nonce));
    assertThat(Eip712.registrationDigest(DOMAIN, OUR_KEY.address(), Role.PROVIDER, name, nonce))
        .isEqualTo(hash);

    Registration ours = Registration.sign(DOMAIN, OUR_KEY, Role.PROVIDER, name, nonce);
    assertThat(web3jRecover(hash, ours.signature())).isEqualTo(OUR_KEY.address());

    Signature theirs = fromWeb3j(Sign.signMessage(hash, WEB3_KEY, false));
    assertThat(
            new Registration(OUR_KEY.address(), Role.PROVIDER, name, nonce, theirs).verify(DOMAIN))
        .isTrue();

    // Another role, name or nonce is another message.
    assertThat(
            new Registration(OUR_KEY.address(), Role.MICROGRID, name, nonce, theirs).verify(DOMAIN))
        .isFalse();
    assertThat(
            new Registration(OUR_KEY.address(), Role.PROVIDER, name + ".", nonce, theirs)
                .verify(DOMAIN))
        .isFalse();
    assertThat(
            new Registration(OUR_KEY.address(), Role.PROVIDER, name, nonce + 1, theirs)
                .verify(DOMAIN))
        .isFalse();
    byte[] altered = web3jHash(registrationTypedData(OUR_KEY.address(), Role.USER, name, nonce));
    assertThat(altered).isNotEqualTo(hash);
    assertThat(web3jRecover(altered, ours.signature())).isNotEqualTo(OUR_KEY.address());
  }
}
