package org.cnemarket.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class Secp256k1Test {

  @Test
  void derivesTheWellKnownAddressOfPrivateKeyOne() {
    // The address of private key 1 is a fixed, widely published value.
    assertThat(Secp256k1.KeyPair.fromPrivateKey(BigInteger.ONE).address())
        .isEqualTo("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
  }

  @Test
  void addressesGetTheirEip55Checksum() {
    // The test vectors of EIP-55.
    for (String a :
        new String[] {
          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
          "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
          "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
          "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
        }) {
      assertThat(Hex.checksumAddress(a.toLowerCase())).isEqualTo(a);
    }
  }

  @Test
  void keccakOfTheEmptyStringIsEthereums() {
    assertThat(Hex.encode(Keccak.hash(new byte[0])))
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Property(tries = 40)
  void signaturesRecoverToTheSignerAndNoOneElse(
      @ForAll @LongRange(min = 1) long seed, @ForAll @LongRange(min = 1) long other) {
    var key = Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(seed));
    byte[] msg = Keccak.hash("message " + seed);
    Signature sig = key.sign(msg);
    assertThat(Secp256k1.recoverAddress(msg, sig)).contains(key.address());
    assertThat(Secp256k1.verify(Keccak.hash("another message"), sig, key.address())).isFalse();
    if (other != seed) {
      assertThat(
              Secp256k1.verify(
                  msg, sig, Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(other)).address()))
          .isFalse();
    }
    assertThat(Signature.fromHex(sig.toHex())).isEqualTo(sig);
  }
}
