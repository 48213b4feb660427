package org.cnemarket.engine.store;

import java.nio.ByteBuffer;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;

/**
 * A trade as the engine stores it: its fields in declaration order, ids 32 bytes, addresses 20,
 * market 1, the numbers 8 bytes each, {@value #BYTES} bytes in all (its JSON is about 650). Read
 * without parsing text; the hex the record carries is lower case, so a trade comes back equal.
 */
final class PackedTrades {
  static final int BYTES = 32 + 8 + 8 + 1 + 32 + 32 + 20 + 20 + 5 * 8;

  private PackedTrades() {}

  static byte[] pack(Trade t) {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put(Hex.decode(t.tradeId(), 32));
    b.putLong(t.round());
    b.putLong(t.slot());
    b.put((byte) t.market().code());
    b.put(Hex.decode(t.buyOrderId(), 32));
    b.put(Hex.decode(t.sellOrderId(), 32));
    b.put(Hex.decode(t.buyer(), 20));
    b.put(Hex.decode(t.seller(), 20));
    b.putLong(t.quantity());
    b.putLong(t.priceMicros());
    b.putLong(t.amountMicros());
    b.putLong(t.greenWh());
    b.putLong(t.carbonMg());
    return b.array();
  }

  /** The trade; throws IllegalArgumentException when {@code data} is not one packed trade. */
  static Trade unpack(byte[] data) {
    if (data.length != BYTES) {
      throw new IllegalArgumentException("not one packed trade: " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    String tradeId = hex(b, 32);
    long round = b.getLong();
    long slot = b.getLong();
    OrderKind.Market market = OrderKind.Market.ofCode(b.get() & 0xff);
    return new Trade(
        tradeId,
        round,
        slot,
        market,
        hex(b, 32),
        hex(b, 32),
        hex(b, 20),
        hex(b, 20),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong());
  }

  /** The trade id of a packed trade, without unpacking the rest. */
  static String tradeId(byte[] data) {
    return hex(ByteBuffer.wrap(data, 0, 32), 32);
  }

  private static String hex(ByteBuffer b, int length) {
    byte[] v = new byte[length];
    b.get(v);
    return Hex.encode(v);
  }
}
