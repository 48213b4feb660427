/**
 * Building orders from human input: exact decimal-to-fixed-point conversion (never floating point
 * for money or energy), slot parsing and nonces.
 */
package org.cnemarket.wallet.order;
