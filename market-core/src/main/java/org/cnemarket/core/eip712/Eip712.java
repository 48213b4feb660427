package org.cnemarket.core.eip712;

import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Role;

/**
 * EIP-712 typed-data hashing of the records participants sign, byte for byte what {@code
 * eth_signTypedData_v4} produces for the same domain and message.
 */
public final class Eip712 {
  public static final String DOMAIN_TYPE =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
  public static final String ORDER_TYPE =
      "Order(uint8 kind,address trader,uint64 slot,uint32 zone,uint64 quantity,uint64 priceMicros,"
          + "uint8 source,uint16 greenBps,uint32 carbonMgPerKwh,uint32 latencyMs,uint64 nonce,"
          + "uint64 expiry)";
  public static final String REGISTRATION_TYPE =
      "Registration(address account,uint8 role,string name,uint64 nonce)";

  public static final String CERTIFICATE_TRANSFER_TYPE =
      "CertificateTransfer(address from,address to,uint64 slot,uint64 amountWh,uint64 nonce)";
  public static final String CERTIFICATE_RETIRE_TYPE =
      "CertificateRetire(address holder,uint64 slot,uint64 amountWh,uint64 nonce)";

  public static final String CONTRACT_CHOICE_TYPE =
      "ContractChoice(address provider,uint64 epoch,uint32 index,uint64 nonce)";

  private static final byte[] DOMAIN_TYPEHASH = Keccak.hash(DOMAIN_TYPE);
  private static final byte[] ORDER_TYPEHASH = Keccak.hash(ORDER_TYPE);
  private static final byte[] REGISTRATION_TYPEHASH = Keccak.hash(REGISTRATION_TYPE);

  private static final byte[] CERTIFICATE_TRANSFER_TYPEHASH =
      Keccak.hash(CERTIFICATE_TRANSFER_TYPE);
  private static final byte[] CERTIFICATE_RETIRE_TYPEHASH = Keccak.hash(CERTIFICATE_RETIRE_TYPE);

  private static final byte[] CONTRACT_CHOICE_TYPEHASH = Keccak.hash(CONTRACT_CHOICE_TYPE);

  /** Separators of the domains seen; a market has one, tests a handful. */
  private static final Map<Domain, byte[]> SEPARATORS = new ConcurrentHashMap<>();

  private Eip712() {}

  /**
   * Digest a provider signs to take contract {@code index} of the incentive menu of {@code epoch}.
   */
  public static byte[] contractChoiceDigest(
      Domain domain, String provider, long epoch, long index, long nonce) {
    return digest(
        domain,
        Keccak.hash(
            Abi.encode(
                CONTRACT_CHOICE_TYPEHASH,
                Abi.address(provider),
                Abi.uint(epoch),
                Abi.uint(index),
                Abi.uint64(nonce))));
  }

  /** The signing domain; on EVM ledgers {@code verifyingContract} is the market contract. */
  public record Domain(String name, String version, long chainId, String verifyingContract) {
    public static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    /** The default domain of a market with no EVM contract (embedded and Fabric ledgers). */
    public static Domain cne(long chainId, String verifyingContract) {
      return new Domain("CNE Market", "1", chainId, verifyingContract);
    }

    /** The domain separator; every digest starts from it, so each domain's is hashed once. */
    public byte[] separator() {
      return SEPARATORS.computeIfAbsent(this, Domain::hashSeparator).clone();
    }

    private static byte[] hashSeparator(Domain d) {
      return Keccak.hash(
          Abi.encode(
              DOMAIN_TYPEHASH,
              Keccak.hash(d.name),
              Keccak.hash(d.version),
              Abi.uint256(BigInteger.valueOf(d.chainId)),
              Abi.address(d.verifyingContract)));
    }
  }

  public static byte[] orderStructHash(Order o) {
    return Keccak.hash(
        Abi.encode(
            ORDER_TYPEHASH,
            Abi.uint(o.kind().code()),
            Abi.address(o.trader()),
            Abi.uint(o.slot()),
            Abi.uint(o.zone()),
            Abi.uint(o.quantity()),
            Abi.uint(o.priceMicros()),
            Abi.uint(o.source().code()),
            Abi.uint(o.greenBps()),
            Abi.uint(o.carbonMgPerKwh()),
            Abi.uint(o.latencyMs()),
            Abi.uint64(o.nonce()),
            Abi.uint(o.expiry())));
  }

  public static byte[] registrationStructHash(String account, Role role, String name, long nonce) {
    return Keccak.hash(
        Abi.encode(
            REGISTRATION_TYPEHASH,
            Abi.address(account),
            Abi.uint(role.code()),
            Keccak.hash(name),
            Abi.uint64(nonce)));
  }

  /** Digest a holder signs to move green certificates of {@code slot} to another account. */
  public static byte[] certificateTransferDigest(
      Domain domain, String from, String to, long slot, long amountWh, long nonce) {
    return digest(
        domain,
        Keccak.hash(
            Abi.encode(
                CERTIFICATE_TRANSFER_TYPEHASH,
                Abi.address(from),
                Abi.address(to),
                Abi.uint(slot),
                Abi.uint(amountWh),
                Abi.uint64(nonce))));
  }

  /** Digest a holder signs to retire (claim) green certificates; a retired Wh is never reused. */
  public static byte[] certificateRetireDigest(
      Domain domain, String holder, long slot, long amountWh, long nonce) {
    return digest(
        domain,
        Keccak.hash(
            Abi.encode(
                CERTIFICATE_RETIRE_TYPEHASH,
                Abi.address(holder),
                Abi.uint(slot),
                Abi.uint(amountWh),
                Abi.uint64(nonce))));
  }

  public static byte[] orderDigest(Domain domain, Order order) {
    return digest(domain, orderStructHash(order));
  }

  public static byte[] registrationDigest(
      Domain domain, String account, Role role, String name, long nonce) {
    return digest(domain, registrationStructHash(account, role, name, nonce));
  }

  /** keccak256(0x19 0x01 || domainSeparator || structHash). */
  public static byte[] digest(Domain domain, byte[] structHash) {
    return Keccak.hash(new byte[] {0x19, 0x01}, domain.separator(), structHash);
  }

  public static String hex(byte[] b) {
    return Hex.encode(b);
  }
}
