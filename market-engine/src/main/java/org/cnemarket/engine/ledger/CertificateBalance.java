package org.cnemarket.engine.ledger;

/** Green certificates of one holder and slot, in Wh. */
public record CertificateBalance(String holder, long slot, long heldWh, long retiredWh) {}
