/** The CNE Market engine: wiring of database, ledger, market service and REST API. */
package org.cnemarket.engine;
