package org.cnemarket.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;

/**
 * CPU microseconds per signature operation on one thread: each operation runs for about two
 * CPU-seconds per round ({@code ThreadMXBean.getCurrentThreadCpuTime}), several rounds, the last
 * printed. CPU time rather than wall time, so that other work on a shared machine does not count.
 * Run as {@code java -cp tests/target/benchmarks.jar org.cnemarket.load.SignatureCpu [rounds]}.
 */
public final class SignatureCpu {
  private static final int N = 512;
  private static final long ROUND_NANOS = 2_000_000_000L;

  private SignatureCpu() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    BigInteger n =
        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    BigInteger[] keys = new BigInteger[N];
    String[] addresses = new String[N];
    byte[][] digests = new byte[N][];
    Signature[] signatures = new Signature[N];
    List<Secp256k1.Check> distinct = new ArrayList<>();
    List<Secp256k1.Check> shared = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      Secp256k1.KeyPair key =
          Secp256k1.KeyPair.fromPrivateKey(
              new BigInteger(1, Keccak.hash("cpu-key-" + i))
                  .mod(n.subtract(BigInteger.ONE))
                  .add(BigInteger.ONE));
      keys[i] = key.privateKey();
      addresses[i] = key.address();
      digests[i] = Keccak.hash("cpu-order-" + i);
      signatures[i] = key.sign(digests[i]);
      distinct.add(new Secp256k1.Check(digests[i], signatures[i], addresses[i]));
    }
    for (int i = 0; i < N; i++) {
      int signer = i % 64;
      byte[] digest = Keccak.hash("cpu-shared-" + i);
      shared.add(
          new Secp256k1.Check(digest, Secp256k1.sign(digest, keys[signer]), addresses[signer]));
    }
    for (int i = 0; i < N; i++) {
      Secp256k1.verify(digests[i], signatures[i], addresses[i]); // every signer's key is known
    }
    int[] next = {0};
    IntSupplier recover =
        () -> {
          int i = next[0]++ & (N - 1);
          return Secp256k1.recoverAddress(digests[i], signatures[i])
                  .orElseThrow()
                  .equals(addresses[i])
              ? 1
              : fail("recover");
        };
    IntSupplier verify =
        () -> {
          int i = next[0]++ & (N - 1);
          return Secp256k1.verify(digests[i], signatures[i], addresses[i]) ? 1 : fail("verify");
        };
    IntSupplier allDistinct = () -> allTrue(Secp256k1.verifyAll(distinct));
    IntSupplier allShared = () -> allTrue(Secp256k1.verifyAll(shared));
    IntSupplier sign =
        () -> {
          int i = next[0]++ & (N - 1);
          return Secp256k1.sign(digests[i], keys[i]).equals(signatures[i]) ? 1 : fail("sign");
        };
    double[] last = new double[5];
    String[] names = {
      "recoverAddress",
      "verify, key remembered",
      "verifyAll, 512 signers (per signature)",
      "verifyAll, 64 signers (per signature)",
      "sign"
    };
    IntSupplier[] ops = {recover, verify, allDistinct, allShared, sign};
    for (int round = 1; round <= rounds; round++) {
      for (int k = 0; k < ops.length; k++) {
        last[k] = microsPerOp(ops[k]);
        System.out.printf(Locale.ROOT, "round %d  %-40s %8.1f µs%n", round, names[k], last[k]);
      }
    }
  }

  private static int allTrue(boolean[] ok) {
    for (boolean b : ok) {
      if (!b) {
        return fail("verifyAll");
      }
    }
    return ok.length;
  }

  private static int fail(String what) {
    throw new IllegalStateException(what + " gave a wrong answer");
  }

  /** CPU µs per unit: each call returns how many units (signatures) it did. */
  private static double microsPerOp(IntSupplier op) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    long units = 0;
    long now;
    do {
      units += op.getAsInt();
      now = mx.getCurrentThreadCpuTime();
    } while (now - start < ROUND_NANOS);
    return (now - start) / 1e3 / units;
  }
}
