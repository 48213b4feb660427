/** The engine's own database (H2 by JDBC): orders, rounds, trades, the settlement outbox. */
package org.cnemarket.engine.store;
