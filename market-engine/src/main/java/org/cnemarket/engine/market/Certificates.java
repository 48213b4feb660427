package org.cnemarket.engine.market;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.market.LedgerProblems.Asset;

/**
 * Green-energy certificates: held per slot on the ledger, moved and retired by their holder's
 * signature, which the ledger checks. Refusals for lack of certificates say so.
 */
public final class Certificates {
  private final Ledger ledger;

  public Certificates(Ledger ledger) {
    this.ledger = ledger;
  }

  public CertificateBalance balance(String holder, long slot) {
    return LedgerProblems.call(() -> ledger.certificates(holder, slot), Asset.CERTIFICATES);
  }

  /**
   * The holder's certificates slot by slot from {@code fromSlot} to {@code toSlot}, leaving out
   * slots where it holds and retired none.
   */
  public List<CertificateBalance> holdings(String holder, long fromSlot, long toSlot) {
    List<CertificateBalance> out = new ArrayList<>();
    // Counted, not compared: s++ past 2^63 - 1 would wrap and never pass toSlot.
    for (long i = 0; i <= toSlot - fromSlot; i++) {
      long slot = fromSlot + i;
      CertificateBalance b = balance(holder, slot);
      if (b.heldWh() != 0 || b.retiredWh() != 0) {
        out.add(new CertificateBalance(holder, slot, b.heldWh(), b.retiredWh()));
      }
    }
    return out;
  }

  public void transfer(
      String from, String to, long slot, long amountWh, long nonce, Signature signature) {
    LedgerProblems.call(
        () -> {
          ledger.transferCertificates(from, to, slot, amountWh, nonce, signature);
          return null;
        },
        Asset.CERTIFICATES);
  }

  public void retire(String holder, long slot, long amountWh, long nonce, Signature signature) {
    LedgerProblems.call(
        () -> {
          ledger.retireCertificates(holder, slot, amountWh, nonce, signature);
          return null;
        },
        Asset.CERTIFICATES);
  }
}
