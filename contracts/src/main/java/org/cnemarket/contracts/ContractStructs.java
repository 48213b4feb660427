package org.cnemarket.contracts;

import java.math.BigInteger;
import org.cnemarket.contracts.generated.CneMarket;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Trade;

/** market-core records as the generated wrappers' ABI structs, field for field. */
public final class ContractStructs {
  private ContractStructs() {}

  /** The EIP-712 {@code Order} struct of {@code CneMarket}. */
  public static CneMarket.Order order(Order o) {
    return new CneMarket.Order(
        BigInteger.valueOf(o.kind().code()),
        o.trader(),
        BigInteger.valueOf(o.slot()),
        BigInteger.valueOf(o.zone()),
        BigInteger.valueOf(o.quantity()),
        BigInteger.valueOf(o.priceMicros()),
        BigInteger.valueOf(o.source().code()),
        BigInteger.valueOf(o.greenBps()),
        BigInteger.valueOf(o.carbonMgPerKwh()),
        BigInteger.valueOf(o.latencyMs()),
        uint64(o.nonce()),
        BigInteger.valueOf(o.expiry()));
  }

  /** A uint64 held in a long's 64 bits (nonces use the whole unsigned range). */
  public static BigInteger uint64(long bits) {
    return new BigInteger(Long.toUnsignedString(bits));
  }

  /**
   * The {@code Trade} struct whose standard leaf {@code keccak256(keccak256(abi.encode(t)))} is
   * {@link Trade#leaf()}.
   */
  public static CneMarket.Trade trade(Trade t) {
    return new CneMarket.Trade(
        Hex.decode(t.tradeId(), 32),
        BigInteger.valueOf(t.round()),
        BigInteger.valueOf(t.slot()),
        BigInteger.valueOf(t.market().code()),
        Hex.decode(t.buyOrderId(), 32),
        Hex.decode(t.sellOrderId(), 32),
        t.buyer(),
        t.seller(),
        BigInteger.valueOf(t.quantity()),
        BigInteger.valueOf(t.priceMicros()),
        BigInteger.valueOf(t.amountMicros()),
        BigInteger.valueOf(t.greenWh()),
        BigInteger.valueOf(t.carbonMg()));
  }
}
