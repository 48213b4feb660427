package org.cnemarket.engine.market;

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
