/**
 * One market round as plain data: the open orders of a slot in, fills and prices out. No I/O; the
 * engine persists and settles what comes out.
 */
package org.cnemarket.engine.round;
