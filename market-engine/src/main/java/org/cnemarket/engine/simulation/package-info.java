/**
 * The simulator: runs a scenario's agents for days of real hourly data through the market's own
 * round clearing (and, with settlement, through the market service onto the embedded ledger), side
 * by side for each scheduling strategy, and writes per-slot CSV, a summary and an HTML report.
 */
package org.cnemarket.engine.simulation;
