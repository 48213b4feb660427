/**
 * The engine's one web layer (Vert.x Web): the OpenAPI contract gate (validation, authentication,
 * roles, ownership, rate limits, idempotency), the route handlers that call the market's use cases,
 * the one table from refusals to RFC 9457 problems, notifications over server-sent events, and the
 * dashboard's static files.
 */
package org.cnemarket.engine.web;
