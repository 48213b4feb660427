/** A deadline-bound REST client of the engine, shared by the wallet and the demo. */
package org.cnemarket.core.client;
