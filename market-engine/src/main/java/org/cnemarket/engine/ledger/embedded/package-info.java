/**
 * The embedded ledger: the chaincode run in-process over an H2 world state, with a signed,
 * hash-chained block log that {@code audit verify} replays.
 */
package org.cnemarket.engine.ledger.embedded;
