/**
 * The engine's own database (H2 by JDBC): one {@link org.cnemarket.engine.store.Database} handle
 * with its transaction helper, and a store per aggregate over it (participants, deposits, orders,
 * rounds and trades, each round's Merkle tree, the settlement outbox, the account view, mechanism
 * changes, power models, incentive contracts, settings, sign-in nonces, idempotency records, meter
 * readings).
 */
package org.cnemarket.engine.store;
