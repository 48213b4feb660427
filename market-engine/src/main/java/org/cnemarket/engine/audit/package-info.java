/** Auditor tools over the engine's records and the ledger: repricing settled rounds. */
package org.cnemarket.engine.audit;
