/** Engine configuration. */
package org.cnemarket.engine.config;
