package org.cnemarket.tests.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite on the embedded ledger: the real chaincode over H2, a fresh database per
 * test.
 */
class EmbeddedLedgerConformanceTest extends LedgerConformanceTest {
  static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);

  @TempDir Path root;

  @Override
  protected Ledger newLedger() throws Exception {
    return EmbeddedLedger.open(
        Files.createTempDirectory(root, "ledger"), DOMAIN, Clock.systemUTC());
  }

  @Override
  protected Eip712.Domain domain(Ledger ledger) {
    return DOMAIN;
  }
}
