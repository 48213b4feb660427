/**
 * Trustless trade proofs: the leaf is recomputed from the trade's own fields and the Merkle path is
 * checked against the root read from the ledger, never against what the engine claims.
 */
package org.cnemarket.wallet.proof;
