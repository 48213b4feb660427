package org.cnemarket.tests.ledger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.fabric.FabricLedger;
import org.junit.jupiter.api.BeforeEach;

/**
 * The ledger conformance suite through the Fabric adapter, against the network that
 * {@code network-config/fabric/network.sh up && network.sh deploy} starts. Runs only when
 * {@code CNE_FABRIC_PROFILE} names a connection profile; otherwise it is reported as skipped with
 * that reason, never as passed.
 *
 * <p>The network's chaincode is configured by {@code network.sh deploy} with chain id
 * {@code CNE_CHAIN_ID} (default 31337) and no verifying contract.
 */
class FabricLedgerConformanceTest extends LedgerConformanceTest {
  static final String NOT_RUN = "CNE_FABRIC_PROFILE not set: Fabric network tests did not run";

  // Per test, so each conformance test is reported as skipped with this reason. If the abstract
  // suite opens its ledger in its own @BeforeEach, JUnit runs this subclass method after it:
  // then newLedger() below performs the same check first.
  @BeforeEach
  void requireNetwork() {
    String p = System.getenv("CNE_FABRIC_PROFILE");
    assumeTrue(p != null && !p.isBlank(), NOT_RUN);
  }

  @Override
  protected Ledger newLedger() {
    String p = System.getenv("CNE_FABRIC_PROFILE");
    assumeTrue(p != null && !p.isBlank(), NOT_RUN);
    try {
      return FabricLedger.fromProfile(Path.of(p));
    } catch (LedgerException e) {
      throw new IllegalStateException("cannot connect to the Fabric network: " + e.getMessage(), e);
    }
  }

  @Override
  protected org.cnemarket.core.eip712.Eip712.Domain domain(Ledger ledger) {
    String chainId = System.getenv().getOrDefault("CNE_CHAIN_ID", "31337");
    return org.cnemarket.core.eip712.Eip712.Domain.cne(Long.parseLong(chainId),
        org.cnemarket.core.eip712.Eip712.Domain.ZERO_ADDRESS);
  }
}
