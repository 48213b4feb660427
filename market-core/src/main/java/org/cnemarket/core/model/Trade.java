package org.cnemarket.core.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.merkle.MerkleTree;

/**
 * A cleared trade, the leaf of a settlement batch's Merkle tree. The buyer pays {@code
 * amountMicros} to the seller out of the buy order's escrow.
 *
 * @param tradeId keccak256(abi.encode(buyOrderId, sellOrderId, round, seq))
 * @param round the market round that cleared it
 * @param slot delivery slot (hours since the epoch)
 * @param market ENERGY or COMPUTE
 * @param buyOrderId id of the buy order (EIP-712 digest)
 * @param sellOrderId id of the sell order
 * @param buyer buyer address
 * @param seller seller address
 * @param quantity Wh or milli compute units
 * @param priceMicros clearing price per kWh or per compute unit
 * @param amountMicros what the buyer pays: floor(quantity * priceMicros / 1000)
 * @param greenWh green Wh in the trade (energy from a renewable offer; 0 for compute)
 * @param carbonMg mg CO2 attributed to the trade
 */
public record Trade(
    String tradeId,
    long round,
    long slot,
    OrderKind.Market market,
    String buyOrderId,
    String sellOrderId,
    String buyer,
    String seller,
    long quantity,
    long priceMicros,
    long amountMicros,
    long greenWh,
    long carbonMg) {

  /**
   * Energy traded, Wh, by the source of the offer each energy trade came from ({@code
   * sourceOfOffer} names it from the sell order's id), in source-name order.
   */
  public static Map<String, Long> energyBySourceWh(
      List<Trade> trades, Function<String, String> sourceOfOffer) {
    Map<String, Long> bySource = new TreeMap<>();
    for (Trade t : trades) {
      if (t.market() == OrderKind.Market.ENERGY) {
        bySource.merge(sourceOfOffer.apply(t.sellOrderId()), t.quantity(), Long::sum);
      }
    }
    return bySource;
  }

  /**
   * The Merkle leaf, OpenZeppelin's standard leaf of all fields in declaration order:
   * keccak256(bytes.concat(keccak256(abi.encode(...)))).
   */
  public byte[] leaf() {
    return MerkleTree.leafHash(
        Abi.encode(
            Abi.bytes32(tradeId),
            Abi.uint(round),
            Abi.uint(slot),
            Abi.uint(market.code()),
            Abi.bytes32(buyOrderId),
            Abi.bytes32(sellOrderId),
            Abi.address(buyer),
            Abi.address(seller),
            Abi.uint(quantity),
            Abi.uint(priceMicros),
            Abi.uint(amountMicros),
            Abi.uint(greenWh),
            Abi.uint(carbonMg)));
  }

  public String leafHex() {
    return Hex.encode(leaf());
  }

  public static String tradeId(String buyOrderId, String sellOrderId, long round, long seq) {
    return Hex.encode(
        Keccak.hash(
            Abi.encode(
                Abi.bytes32(buyOrderId),
                Abi.bytes32(sellOrderId),
                Abi.uint(round),
                Abi.uint(seq))));
  }

  /** Checks the record's own arithmetic: positive quantity and price, amount = q * p / 1000. */
  public Trade validate() {
    if (quantity <= 0 || priceMicros <= 0) {
      throw new IllegalArgumentException(
          "trade " + tradeId + ": quantity and price must be positive");
    }
    if (amountMicros != Units.amountMicros(quantity, priceMicros)) {
      throw new IllegalArgumentException(
          "trade " + tradeId + ": amount is not quantity * price / 1000");
    }
    if (greenWh < 0 || greenWh > quantity || carbonMg < 0) {
      throw new IllegalArgumentException("trade " + tradeId + ": green Wh or carbon out of range");
    }
    if (market == OrderKind.Market.COMPUTE && greenWh != 0) {
      throw new IllegalArgumentException("trade " + tradeId + ": compute trades carry no green Wh");
    }
    return this;
  }
}
