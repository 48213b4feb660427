/**
 * Forecasts of hourly series (price, carbon intensity, renewable output) per zone: persistence, a
 * seasonal profile, the seasonal profile corrected by the latest deviation, and the real series as
 * a perfect-foresight bound, with their error.
 */
package org.cnemarket.agents.forecast;
