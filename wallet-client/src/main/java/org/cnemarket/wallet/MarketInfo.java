package org.cnemarket.wallet;

import java.util.Optional;
import org.cnemarket.core.eip712.Eip712;

/**
 * What {@code GET /v1/market} says: the signing domain, round progress and the ledger.
 *
 * @param domain the EIP-712 domain every order and registration is signed for
 * @param lastRound the last cleared round (0 before the first)
 * @param lastClosedSlot the last closed slot, if any; orders must target a later slot
 * @param ledgerBackend e.g. "embedded", "fabric", "evm"
 * @param ledgerHeight the ledger's block height
 * @param ledgerNetwork the ledger network's name
 * @param computeMechanism how rounds clear compute ("uniform", "stackelberg"; "" when not said)
 */
public record MarketInfo(
    Eip712.Domain domain,
    long lastRound,
    Optional<Long> lastClosedSlot,
    String ledgerBackend,
    long ledgerHeight,
    String ledgerNetwork,
    String computeMechanism) {}
