package org.cnemarket.engine.round;

import java.util.Map;

/**
 * What the compute stage takes from the energy market.
 *
 * @param clearingPriceMicros the round's energy price, micro-credits per kWh
 * @param byBuyer per buyer: Wh bought, value (Wh·micros/kWh), green Wh, carbon mg
 * @param averageOfferCarbon the offered energy's mean intensity, mg per kWh
 */
public record EnergyPrices(
    long clearingPriceMicros, Map<String, long[]> byBuyer, long averageOfferCarbon) {}
