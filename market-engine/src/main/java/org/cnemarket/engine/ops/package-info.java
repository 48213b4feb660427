/** Operations: Prometheus metrics and logging set-up. */
package org.cnemarket.engine.ops;
