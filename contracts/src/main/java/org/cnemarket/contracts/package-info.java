/**
 * CNE Market contracts on the JVM: the generated Web3j wrappers (package {@code generated}) and
 * {@link org.cnemarket.contracts.AnvilNode}, which runs the pinned anvil binary for tests and
 * demos.
 */
package org.cnemarket.contracts;
