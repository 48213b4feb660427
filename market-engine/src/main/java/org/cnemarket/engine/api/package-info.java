/**
 * The REST surface around the market: the OpenAPI contract gate (validation, authentication, roles,
 * ownership, rate limits, idempotency), the added operations (sign-in, meter readings,
 * certificates, carbon, health, readiness, metrics) and the dashboard's static files.
 */
package org.cnemarket.engine.api;
