package org.cnemarket.core.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;

/**
 * Signed orders packed: per order its EIP-712 fields big-endian in their Solidity widths (kind 1,
 * trader 20, slot 8, zone 4, quantity 8, price 8, source 1, greenBps 2, carbon 4, latency 4, nonce
 * 8, expiry 8 bytes), then its signature r || s || v, {@value #BYTES} bytes in all. A batch of them
 * is the calldata {@code CneMarket.acceptOrderBatch} takes (the contract stores keccak256 of the
 * whole); one of them is how the engine stores an order's signed content.
 */
public final class PackedOrders {
  /** Bytes per packed order (the contract's {@code PACKED_ORDER_BYTES}). */
  public static final int BYTES = 141;

  private PackedOrders() {}

  /** The orders sorted as the contract requires: grouped by trader, ascending address. */
  public static List<SignedOrder> sortedByTrader(List<SignedOrder> orders) {
    List<SignedOrder> out = new ArrayList<>(orders);
    out.sort(Comparator.comparing(so -> so.order().trader()));
    return out;
  }

  /** Packs the orders in the order given (sort them first with {@link #sortedByTrader}). */
  public static byte[] pack(List<SignedOrder> orders) {
    ByteBuffer b = ByteBuffer.allocate(orders.size() * BYTES);
    for (SignedOrder so : orders) {
      put(b, so);
    }
    return b.array();
  }

  /** One order packed. */
  public static byte[] packOne(SignedOrder order) {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    put(b, order);
    return b.array();
  }

  /** Unpacks a batch; throws IllegalArgumentException when it is not whole packed orders. */
  public static List<SignedOrder> unpack(byte[] data) {
    if (data.length % BYTES != 0) {
      throw new IllegalArgumentException("not whole packed orders: " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    List<SignedOrder> out = new ArrayList<>(data.length / BYTES);
    while (b.hasRemaining()) {
      out.add(read(b));
    }
    return out;
  }

  /** Unpacks one order; throws IllegalArgumentException when it is not one packed order. */
  public static SignedOrder unpackOne(byte[] data) {
    if (data.length != BYTES) {
      throw new IllegalArgumentException("not one packed order: " + data.length + " bytes");
    }
    return read(ByteBuffer.wrap(data));
  }

  private static void put(ByteBuffer b, SignedOrder so) {
    Order o = so.order();
    b.put((byte) o.kind().code());
    b.put(Hex.decode(o.trader(), 20));
    b.putLong(o.slot());
    b.putInt((int) o.zone());
    b.putLong(o.quantity());
    b.putLong(o.priceMicros());
    b.put((byte) o.source().code());
    b.putShort((short) o.greenBps());
    b.putInt((int) o.carbonMgPerKwh());
    b.putInt((int) o.latencyMs());
    b.putLong(o.nonce());
    b.putLong(o.expiry());
    b.put(so.signature().toBytes());
  }

  private static SignedOrder read(ByteBuffer b) {
    OrderKind kind = OrderKind.ofCode(b.get() & 0xff);
    byte[] trader = new byte[20];
    b.get(trader);
    long slot = b.getLong();
    long zone = b.getInt() & 0xffffffffL;
    long quantity = b.getLong();
    long price = b.getLong();
    EnergySource source = EnergySource.ofCode(b.get() & 0xff);
    int greenBps = b.getShort() & 0xffff;
    long carbon = b.getInt() & 0xffffffffL;
    long latency = b.getInt() & 0xffffffffL;
    long nonce = b.getLong();
    long expiry = b.getLong();
    byte[] sig = new byte[65];
    b.get(sig);
    return new SignedOrder(
        new Order(
            kind,
            Hex.encode(trader),
            slot,
            zone,
            quantity,
            price,
            source,
            greenBps,
            carbon,
            latency,
            nonce,
            expiry),
        Signature.fromBytes(sig));
  }
}
