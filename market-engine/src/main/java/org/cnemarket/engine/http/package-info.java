/** The REST API (Vert.x Web): JSON in and out, RFC 9457 problem bodies for every refusal. */
package org.cnemarket.engine.http;
