package org.cnemarket.bench;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.auth.TokenService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signature work per order: raw EIP-712 recovery (now and as it was, with the n·R check), the check
 * of a signature against a remembered public key, signing (now, and Bouncy Castle's signer followed
 * by trying both recovery ids, as it was), the engine's CPU-only per-order validation path (parse,
 * validate, recover, id), and the bearer-token check (remembered, and a full ES256 verification as
 * every request did before).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SignatureBenchmarks {
  private static final int N = 1024;
  static final int BATCH = 512;
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters CURVE =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());

  private final Eip712.Domain domain = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
  private final byte[][] digests = new byte[N][];
  private final Signature[] signatures = new Signature[N];
  private final String[] bodies = new String[N];
  private final BigInteger[] keys = new BigInteger[N];
  private final String[] addresses = new String[N];
  private TokenService tokens;
  private ECDSAVerifier jwtVerifier;
  private String token;
  private int next;
  private List<Secp256k1.Check> distinctSigners;
  private List<Secp256k1.Check> sharedSigners;

  @Setup
  public void setUp() throws Exception {
    for (int i = 0; i < N; i++) {
      Secp256k1.KeyPair key =
          Secp256k1.KeyPair.fromPrivateKey(
              new BigInteger(1, Keccak.hash("bench-key-" + i))
                  .mod(PARAMS.getN().subtract(BigInteger.ONE))
                  .add(BigInteger.ONE));
      keys[i] = key.privateKey();
      addresses[i] = key.address();
      Order o =
          new Order(
              OrderKind.ENERGY_BID,
              key.address(),
              500_000,
              1,
              1_000 + i,
              90_000,
              EnergySource.NONE,
              0,
              0,
              0,
              i,
              0);
      SignedOrder so = SignedOrder.sign(domain, o, key);
      digests[i] = Eip712.orderDigest(domain, o);
      signatures[i] = so.signature();
      bodies[i] = Json.write(RecordCodec.signedOrder(so));
    }
    List<Secp256k1.Check> distinct = new ArrayList<>();
    List<Secp256k1.Check> shared = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      distinct.add(new Secp256k1.Check(digests[i], signatures[i], addresses[i]));
      int signer = i % 64;
      byte[] digest = Keccak.hash("bench-order-" + i);
      shared.add(
          new Secp256k1.Check(digest, Secp256k1.sign(digest, keys[signer]), addresses[signer]));
    }
    distinctSigners = List.copyOf(distinct);
    sharedSigners = List.copyOf(shared);
    for (int i = 0; i < N; i++) {
      Secp256k1.verify(digests[i], signatures[i], addresses[i]); // every signer's key is known
    }
    AtomicReference<String> jwk = new AtomicReference<>();
    tokens =
        new TokenService(() -> Optional.ofNullable(jwk.get()), jwk::set, Clock.systemUTC(), 3600);
    token = tokens.issue("0x00000000000000000000000000000000000a11ce", Role.PROVIDER);
    jwtVerifier = new ECDSAVerifier(ECKey.parse(jwk.get()).toPublicJWK());
  }

  private int nextIndex() {
    next = (next + 1) & (N - 1);
    return next;
  }

  @Benchmark
  public Optional<String> recover() {
    int i = nextIndex();
    return Secp256k1.recoverAddress(digests[i], signatures[i]);
  }

  /**
   * {@code Secp256k1.verify} of a signer whose public key is remembered (every order after a
   * trader's first).
   */
  @Benchmark
  public boolean verifyKnownSigner() {
    int i = nextIndex();
    return Secp256k1.verify(digests[i], signatures[i], addresses[i]);
  }

  /**
   * {@code Secp256k1.verifyAll} of 512 orders by 512 different known signers (the worst case for a
   * batch: no signer's scalars combine); a score counts signatures, not batches.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public boolean[] verifyAllDistinctSigners() {
    return Secp256k1.verifyAll(distinctSigners);
  }

  /** {@code Secp256k1.verifyAll} of 512 orders by 64 known signers (8 orders each). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public boolean[] verifyAllSharedSigners() {
    return Secp256k1.verifyAll(sharedSigners);
  }

  @Benchmark
  public Optional<String> recoverWithOrderCheck() {
    int i = nextIndex();
    return referenceRecover(digests[i], signatures[i]);
  }

  @Benchmark
  public Signature sign() {
    int i = nextIndex();
    return Secp256k1.sign(digests[i], keys[i]);
  }

  @Benchmark
  public Signature signThenTryRecoveryIds() {
    int i = nextIndex();
    return referenceSign(digests[i], keys[i]);
  }

  /**
   * What the engine does with an order's body before it touches a store: parse, validate, recover,
   * id.
   */
  @Benchmark
  public String orderValidationPath() {
    int i = nextIndex();
    Fields f = Fields.of(Json.parse(bodies[i]), "signedOrder");
    SignedOrder so = RecordCodec.signedOrder(f);
    so.order().validate();
    if (!so.verify(domain)) {
      throw new IllegalStateException("bad signature");
    }
    return so.id(domain);
  }

  @Benchmark
  public TokenService.Check tokenCheck() {
    return tokens.check(token);
  }

  @Benchmark
  public boolean tokenVerifyEs256() throws Exception {
    return SignedJWT.parse(token).verify(jwtVerifier);
  }

  /**
   * BC's RFC 6979 ECDSA, low-s, then whichever recovery id gives the key back (the former signer).
   */
  static Signature referenceSign(byte[] hash, BigInteger d) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, CURVE));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger n = CURVE.getN();
    BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
    byte[] expected =
        Arrays.copyOfRange(CURVE.getG().multiply(d).normalize().getEncoded(false), 1, 65);
    for (int v = 27; v <= 28; v++) {
      Signature sig = new Signature(rs[0], s, v);
      Optional<byte[]> pub = referencePublicKey(hash, sig);
      if (pub.isPresent() && Arrays.equals(pub.get(), expected)) {
        return sig;
      }
    }
    throw new IllegalStateException("no recovery id");
  }

  public static Optional<String> referenceRecover(byte[] hash, Signature sig) {
    return referencePublicKey(hash, sig).map(Secp256k1::addressOf);
  }

  /** SEC 1 4.1.6 with the n·R = O check, as recovery was. */
  private static Optional<byte[]> referencePublicKey(byte[] hash, Signature sig) {
    BigInteger n = CURVE.getN();
    X9IntegerConverter conv = new X9IntegerConverter();
    byte[] enc = conv.integerToBytes(sig.r(), 33);
    enc[0] = (byte) (sig.v() == 28 ? 0x03 : 0x02);
    ECPoint rPoint;
    try {
      rPoint = CURVE.getCurve().decodePoint(enc);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!rPoint.multiply(n).isInfinity()) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = sig.r().modInverse(n);
    ECPoint q =
        ECAlgorithms.sumOfTwoMultiplies(
                CURVE.getG(),
                rInv.multiply(e.negate()).mod(n),
                rPoint,
                rInv.multiply(sig.s()).mod(n))
            .normalize();
    return q.isInfinity()
        ? Optional.empty()
        : Optional.of(Arrays.copyOfRange(q.getEncoded(false), 1, 65));
  }
}
