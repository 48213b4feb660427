package org.cnemarket.wallet;

/**
 * A cleared round's summary.
 *
 * @param round the round number
 * @param slot the slot it cleared
 * @param orders orders that took part
 * @param trades trades it produced
 * @param energyWh energy traded
 * @param greenWh green energy traded
 * @param computeMilliUnits compute traded
 * @param valueMicros total value of its trades
 * @param energyPriceMicros uniform energy price (0 when nothing cleared)
 * @param computePriceMicros uniform compute price (0 when nothing cleared)
 * @param batchId its settlement batch
 * @param settlement PENDING or SETTLED (empty when unknown)
 */
public record RoundView(
    long round,
    long slot,
    long orders,
    long trades,
    long energyWh,
    long greenWh,
    long computeMilliUnits,
    long valueMicros,
    long energyPriceMicros,
    long computePriceMicros,
    String batchId,
    String settlement) {}
