/**
 * Fabric deployment checks: the network-config files and scripts (always run), and a smoke test
 * of the Fabric ledger adapter against a live network (only with {@code CNE_FABRIC_PROFILE}).
 */
package org.cnemarket.tests.fabric;
