/** The demo market on real energy, carbon, price and utilisation series. */
package org.cnemarket.engine.demo;
