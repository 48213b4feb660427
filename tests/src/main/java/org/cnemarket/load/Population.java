package org.cnemarket.load;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;

/**
 * The market participants a load run trades with: microgrids (sellers) and providers (buyers), each
 * with a key derived from the run's seed, registered with its signed registration, funded by the
 * operator and signed in (one bearer token each).
 */
final class Population {
  private static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

  /** One participant and its bearer token. */
  record Trader(Secp256k1.KeyPair key, Role role, String token) {}

  private final List<Trader> microgrids;
  private final List<Trader> providers;

  private Population(List<Trader> microgrids, List<Trader> providers) {
    this.microgrids = microgrids;
    this.providers = providers;
  }

  List<Trader> microgrids() {
    return microgrids;
  }

  List<Trader> providers() {
    return providers;
  }

  int size() {
    return microgrids.size() + providers.size();
  }

  /** A deterministic key per (seed, index): reruns with the same seed reuse the same accounts. */
  static Secp256k1.KeyPair key(long seed, int index) {
    BigInteger d =
        new BigInteger(1, Keccak.hash("cne-load/" + seed + "/" + index))
            .mod(N.subtract(BigInteger.ONE))
            .add(BigInteger.ONE);
    return Secp256k1.KeyPair.fromPrivateKey(d);
  }

  /**
   * Registers {@code microgrids + providers} participants (a few requests in parallel), deposits
   * {@code providerDepositMicros} to every provider and signs every participant in.
   */
  static Population enrol(
      String baseUrl,
      String operatorToken,
      Eip712.Domain domain,
      long seed,
      int microgrids,
      int providers,
      long providerDepositMicros)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Trader>> futures = new ArrayList<>();
      for (int i = 0; i < microgrids + providers; i++) {
        int index = i;
        Role role = i < microgrids ? Role.MICROGRID : Role.PROVIDER;
        futures.add(
            pool.submit(
                () ->
                    enrolOne(
                        baseUrl,
                        operatorToken,
                        domain,
                        seed,
                        index,
                        role,
                        role == Role.PROVIDER ? providerDepositMicros : 0)));
      }
      List<Trader> m = new ArrayList<>();
      List<Trader> p = new ArrayList<>();
      for (Future<Trader> f : futures) {
        Trader t = f.get();
        (t.role() == Role.MICROGRID ? m : p).add(t);
      }
      return new Population(m, p);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Trader enrolOne(
      String baseUrl,
      String operatorToken,
      Eip712.Domain domain,
      long seed,
      int index,
      Role role,
      long depositMicros)
      throws Exception {
    Secp256k1.KeyPair key = key(seed, index);
    try (MarketClient c = MarketClient.connect(baseUrl, Duration.ofSeconds(120))) {
      Registration reg = Registration.sign(domain, key, role, "load-" + seed + "-" + index, 0);
      c.post("/v1/participants", RecordCodec.registration(reg));
      if (depositMicros > 0) {
        c.withBearer(operatorToken);
        c.post(
            "/v1/deposits",
            Map.of(
                "depositId",
                "load-" + seed + "-" + index,
                "account",
                key.address(),
                "amountMicros",
                depositMicros));
        c.withBearer(null);
      }
      String token = c.login(key);
      return new Trader(key, role, token);
    }
  }
}
