/**
 * Measurement model (§4 of the pricing reference): server power vs utilisation, facility PUE,
 * network energy, kWh per compute unit (η for the Stackelberg cost) and carbon in mg CO2, as pure
 * functions.
 */
package org.cnemarket.engine.measurement;
