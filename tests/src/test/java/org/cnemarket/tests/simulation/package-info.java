/** The simulator's HTML report in a real browser. */
package org.cnemarket.tests.simulation;
