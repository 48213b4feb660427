/** The ledger port and its value types; adapters live in sub-packages. */
package org.cnemarket.engine.ledger;
