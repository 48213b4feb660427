/**
 * JMH benchmarks, run from the shaded {@code tests/target/benchmarks.jar}: the pricing kernels and
 * the signature work per order (commands and figures in {@code docs/benchmarks.md}).
 */
package org.cnemarket.bench;
