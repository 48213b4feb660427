/**
 * Runs the chaincode in-process with Fabric's semantics: {@link
 * org.cnemarket.chaincode.embedded.EmbeddedStub} (one transaction over a {@link
 * org.cnemarket.chaincode.embedded.StateStore}), {@link
 * org.cnemarket.chaincode.embedded.ChaincodeRunner} (Fabric's ContractRouter over that stub) and
 * {@link org.cnemarket.chaincode.embedded.EmbeddedCa} (X.509 identities with the {@code cne.role}
 * attribute). The engine's embedded ledger and the chaincode's own tests share this one stub.
 */
package org.cnemarket.chaincode.embedded;
