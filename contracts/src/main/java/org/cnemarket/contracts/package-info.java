/**
 * CNE Market contracts on the JVM: the generated Web3j wrappers (package {@code generated}). The
 * anvil node tests and the load harness start lives in this module's test jar.
 */
package org.cnemarket.contracts;
