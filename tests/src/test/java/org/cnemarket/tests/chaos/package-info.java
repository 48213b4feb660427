/**
 * Crash tests: the engine jar run as a process under concurrent signed intake and round closes,
 * killed with SIGKILL at random instants and restarted on the same data directory, on the embedded
 * ledger and on an EVM node (anvil, itself crashed and restarted from its state file). After every
 * restart every acknowledged write must be there, nothing refused may be, every closed round must
 * settle on its own exactly once, and credits must be conserved per account. See
 * docs/reliability.md.
 */
package org.cnemarket.tests.chaos;
