/**
 * The Fabric ledger adapter: {@link org.cnemarket.engine.ledger.fabric.FabricLedger} talks to a
 * Fabric 2.5 peer's Gateway service through {@code org.hyperledger.fabric:fabric-gateway}.
 *
 * <p>Pieces, each testable without a network:
 *
 * <ul>
 *   <li>{@link org.cnemarket.engine.ledger.fabric.FabricConfig}: the connection profile (JSON).
 *   <li>{@link org.cnemarket.engine.ledger.fabric.RetryPolicy}: which commit codes are retried
 *       (MVCC and phantom read conflicts) and the exponential backoff between attempts.
 *   <li>{@link org.cnemarket.engine.ledger.fabric.Rejections}: how a peer's endorsement error
 *       becomes a {@link org.cnemarket.engine.ledger.LedgerRejectedException} with a reason code.
 *   <li>{@code TransactionSubmitter}: the boundary to the gateway; the real, gateway-backed
 *       implementation is package-private.
 * </ul>
 */
package org.cnemarket.engine.ledger.fabric;
