/**
 * The wallet's Java API: {@link org.cnemarket.wallet.WalletApi} signs registrations and orders with
 * the participant's key, reads orders, trades, rounds and balances, and verifies trade proofs
 * against the ledger, all through the shared deadline-bound {@link
 * org.cnemarket.core.client.MarketClient}.
 */
package org.cnemarket.wallet;
