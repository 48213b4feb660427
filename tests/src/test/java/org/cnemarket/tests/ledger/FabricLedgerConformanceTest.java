package org.cnemarket.tests.ledger;

import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.fabric.FabricLedger;
import org.cnemarket.tests.fabric.FabricNetwork;
import org.junit.jupiter.api.Tag;

/**
 * The ledger conformance suite through the Fabric adapter, on the live network of {@link
 * FabricNetwork} (started by {@code network.sh up && network.sh deploy} on free ports), or on the
 * network whose profile {@code CNE_FABRIC_PROFILE} names. Without Fabric binaries every test is
 * reported as skipped with {@link FabricNetwork#NOT_RUN}, never as passed.
 *
 * <p>All tests share the channel: the suite keeps them apart (fresh keys, own deposit ids and
 * rounds, events read from the height at the start of the test). The network's chaincode is
 * configured by {@code network.sh deploy} with chain id {@code CNE_CHAIN_ID} (default 31337) and no
 * verifying contract.
 */
@Tag("fabric")
class FabricLedgerConformanceTest extends LedgerConformanceTest {

  @Override
  protected Ledger newLedger() throws Exception {
    return FabricLedger.fromProfile(FabricNetwork.shared().profile("engine-platform.json"));
  }

  @Override
  protected long cursorNow() throws Exception {
    // Past every event in the blocks committed so far.
    return ledger.status().height() * FabricLedger.EVENTS_PER_BLOCK - 1;
  }

  @Override
  protected Eip712.Domain domain(Ledger ledger) {
    String chainId = System.getenv().getOrDefault("CNE_CHAIN_ID", "31337");
    return Eip712.Domain.cne(Long.parseLong(chainId), Eip712.Domain.ZERO_ADDRESS);
  }
}
