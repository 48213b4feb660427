/** The market's use cases over the engine database and the ledger port; plain Java, no HTTP. */
package org.cnemarket.engine.market;
