/** Exactly-once settlement: the transactional outbox drained to the ledger port. */
package org.cnemarket.engine.settlement;
