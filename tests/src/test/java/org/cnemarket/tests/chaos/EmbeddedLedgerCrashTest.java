package org.cnemarket.tests.chaos;

import java.util.List;

/** The crash test on the embedded ledger: the engine's own hash-chained block log in H2. */
class EmbeddedLedgerCrashTest extends CrashTest {
  @Override
  protected List<String> ledgerArgs() {
    return List.of("--ledger", "embedded");
  }
}
