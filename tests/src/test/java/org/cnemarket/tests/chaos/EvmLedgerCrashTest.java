package org.cnemarket.tests.chaos;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnemarket.contracts.AnvilNode;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * The crash test on an EVM ledger: an anvil node the test starts on a free port, with its chain in
 * a state file. The engine is killed as on every ledger; after every third kill the node is killed
 * with SIGKILL too and restarted from its state file before the engine comes back.
 */
class EvmLedgerCrashTest extends CrashTest {
  private AnvilProcess anvil;
  private int anvilCrashes;

  @Override
  protected void startLedger() throws Exception {
    anvil = AnvilProcess.start(dir.resolve("anvil-state.json"), dir.resolve("anvil.log"));
  }

  @Override
  protected List<String> ledgerArgs() {
    return List.of("--ledger", "evm", "--rpc", anvil.rpcUrl());
  }

  @Override
  protected Map<String, String> ledgerEnv() {
    return Map.of("CNE_EVM_KEY", operatorKey());
  }

  private static String operatorKey() {
    return AnvilNode.DEV_PRIVATE_KEYS.get(0);
  }

  @Override
  protected void betweenKillAndRestart(int kill, Random random) throws Exception {
    if (kill % 3 == 0) {
      anvil.crashAndRestart(Secp256k1.KeyPair.fromPrivateKeyHex(operatorKey()).address());
      anvilCrashes++;
    }
  }

  @Override
  protected String ledgerEvents() {
    return "; anvil killed and restarted from its state file " + anvilCrashes + " time(s)";
  }

  @Override
  protected void stopLedger() {
    if (anvil != null) {
      anvil.close();
      anvil = null;
    }
  }
}
