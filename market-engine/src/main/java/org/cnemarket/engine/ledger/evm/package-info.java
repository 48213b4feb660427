/**
 * The EVM adapter of the ledger port: {@link org.cnemarket.engine.ledger.evm.EvmLedger} drives the
 * CneMarket, CneCredit and CneCertificate contracts through their generated Web3j wrappers over any
 * Ethereum JSON-RPC node (anvil in tests, Besu QBFT in consortium deployments): signed raw
 * transactions with a local nonce manager, gas estimation, confirmation depth, revert decoding into
 * the port's reason codes, and the contracts' events as the port's ledger events. Orders go on in
 * batches of packed signed orders whose acceptance the adapter reads back from the chain's history
 * ({@link org.cnemarket.engine.ledger.evm.AcceptedOrders}).
 */
package org.cnemarket.engine.ledger.evm;
