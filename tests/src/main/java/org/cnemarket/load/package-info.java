/**
 * The load harness: drives a real engine process over REST with pre-signed orders and measures
 * intake rate against this machine's raw signature-recovery rate ({@code intake}), and whole rounds
 * at a chosen scale ({@code round}). Run it as {@code java -cp tests/target/benchmarks.jar
 * org.cnemarket.load.LoadHarness --help}.
 */
package org.cnemarket.load;
