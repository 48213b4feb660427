package org.cnemarket.tests.ledger;

import org.cnemarket.contracts.AnvilNode;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.evm.EvmConfig;
import org.cnemarket.engine.ledger.evm.EvmLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance suite on a real anvil node; every test gets a freshly deployed contract set. */
class EvmLedgerConformanceTest extends LedgerConformanceTest {
  private static AnvilNode anvil;

  @BeforeAll
  static void startAnvil() {
    anvil = AnvilNode.start();
  }

  @AfterAll
  static void stopAnvil() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @Override
  protected Ledger newLedger() throws Exception {
    return EvmLedger.connect(EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0)));
  }

  @Override
  protected Eip712.Domain domain(Ledger ledger) {
    return ((EvmLedger) ledger).domain();
  }
}
