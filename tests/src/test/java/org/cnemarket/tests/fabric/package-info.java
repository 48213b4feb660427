/**
 * Fabric deployment checks: the network-config files and scripts (always run), and tests on a live
 * Fabric 2.5 network that {@link org.cnemarket.tests.fabric.FabricNetwork} starts with the
 * project's network.sh (adapter smoke test, organisations and identities, network.sh failing fast,
 * the engine's demo, audit and faults); skipped with a reason where no Fabric binaries exist.
 */
package org.cnemarket.tests.fabric;
