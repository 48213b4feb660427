package org.cnemarket.chaincode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * The world-state key of every record, so auditors can ask {@code audit:History} for any of them.
 * Values are canonical JSON (market-core {@code Json}); addresses are lower-case 0x hex; slots are
 * decimal hours since the epoch.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code config/domain}</td><td>the EIP-712 domain</td></tr>
 *   <tr><td>{@code participant/<address>}</td><td>registration: address, role, name, nonce, signature</td></tr>
 *   <tr><td>{@code account/<address>}</td><td>credits: availableMicros, escrowMicros</td></tr>
 *   <tr><td>{@code deposit/<depositId>}</td><td>an applied deposit</td></tr>
 *   <tr><td>{@code order/<orderId>}</td><td>accepted order: its terms, signature hash and escrow locked</td></tr>
 *   <tr><td>{@code fill/order/<orderId>}</td><td>what settlements did to it: spent, refunded, filled, closed (absent until the first)</td></tr>
 *   <tr><td>{@code nonce/order/<trader>/<nonce>}</td><td>order id that used the nonce</td></tr>
 *   <tr><td>{@code batch/<batchId>}</td><td>settled batch header (the trades are proven against its root, not stored)</td></tr>
 *   <tr><td>{@code delivery/<tradeId>}</td><td>delivery report of a trade</td></tr>
 *   <tr><td>{@code reputation/<address>}</td><td>seller's delivery record</td></tr>
 *   <tr><td>{@code certificate/<holder>/<slot>}</td><td>green certificates: heldWh, retiredWh</td></tr>
 *   <tr><td>{@code nonce/certificate/<holder>/<nonce>}</td><td>an applied transfer or retirement</td></tr>
 *   <tr><td>composite {@code carbon~participant~slot} (address, slot20)</td><td>carbon per buyer and slot</td></tr>
 * </table>
 *
 * <p>{@code slot20} is the slot zero-padded to 20 digits so that key order is slot order.
 */
public final class StateKeys {
  public static final String CONFIG_DOMAIN = "config/domain";
  public static final String CARBON_INDEX = "carbon~participant~slot";

  private StateKeys() {}

  public static String participant(String address) {
    return "participant/" + lower(address);
  }

  public static String account(String address) {
    return "account/" + lower(address);
  }

  public static String deposit(String depositId) {
    return "deposit/" + depositId;
  }

  public static String order(String orderId) {
    return "order/" + lower(orderId);
  }

  /**
   * What settlements did to an order, apart from its terms: a settlement rewrites these small
   * records, next to each other in key order, and leaves the terms where acceptance put them.
   */
  public static String orderFill(String orderId) {
    return "fill/order/" + lower(orderId);
  }

  public static String orderNonce(String trader, long nonce) {
    return "nonce/order/" + lower(trader) + "/" + nonce;
  }

  public static String batch(String batchId) {
    return "batch/" + lower(batchId);
  }

  public static String delivery(String tradeId) {
    return "delivery/" + lower(tradeId);
  }

  public static String reputation(String address) {
    return "reputation/" + lower(address);
  }

  public static String certificates(String holder, long slot) {
    return "certificate/" + lower(holder) + "/" + slot;
  }

  public static String certificateNonce(String holder, long nonce) {
    return "nonce/certificate/" + lower(holder) + "/" + nonce;
  }

  public static String carbon(String address, long slot) {
    return new CompositeKey(CARBON_INDEX, lower(address), slot20(slot)).toString();
  }

  public static String slot20(long slot) {
    return String.format(Locale.ROOT, "%020d", slot);
  }

  /** The key templates above, for {@code audit:Keys}. */
  public static Map<String, Object> templates() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", CONFIG_DOMAIN);
    m.put("participant", "participant/<address>");
    m.put("account", "account/<address>");
    m.put("deposit", "deposit/<depositId>");
    m.put("order", "order/<orderId>");
    m.put("orderFill", "fill/order/<orderId>");
    m.put("orderNonce", "nonce/order/<trader>/<nonce>");
    m.put("batch", "batch/<batchId>");
    m.put("delivery", "delivery/<tradeId>");
    m.put("reputation", "reputation/<address>");
    m.put("certificates", "certificate/<holder>/<slot>");
    m.put("certificateNonce", "nonce/certificate/<holder>/<nonce>");
    return m;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
