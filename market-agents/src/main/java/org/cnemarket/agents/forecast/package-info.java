/**
 * Forecasts of hourly series (price, carbon intensity, renewable output) per zone: persistence, a
 * seasonal profile, and the real series as a perfect-foresight bound, with their error.
 */
package org.cnemarket.agents.forecast;
