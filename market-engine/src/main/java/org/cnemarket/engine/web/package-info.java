/**
 * The engine's one web layer (Vert.x Web): the OpenAPI contract gate (validation, authentication,
 * roles, ownership, rate limits, idempotency), one handler per operation of the contract bound by
 * its operationId ({@link org.cnemarket.engine.web.Operations}; the {@code *Handlers} classes, one
 * per resource, call the market's use cases and query classes), the one table from refusals to RFC
 * 9457 problems, notifications over server-sent events, and the dashboard's static files.
 */
package org.cnemarket.engine.web;
