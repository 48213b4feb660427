/** The {@code cne-engine} command line (picocli). */
package org.cnemarket.engine.cli;
