package org.cnemarket.wallet;

import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.model.SignedOrder;

/**
 * One order's outcome in a batch ({@link WalletApi#submitAll}): accepted with its receipt, or
 * refused with the engine's problem (status, type and detail), which changed nothing.
 *
 * @param signed what was submitted
 * @param receipt the receipt when the engine accepted the order, else null
 * @param refusal the refusal when it did not, else null
 */
public record OrderOutcome(
    SignedOrder signed, OrderReceipt receipt, MarketClientException refusal) {
  public boolean accepted() {
    return receipt != null;
  }
}
