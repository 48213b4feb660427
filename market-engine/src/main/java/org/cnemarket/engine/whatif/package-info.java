/**
 * JSON in / JSON out "what-if" pricing for the {@code cne-engine price <mechanism> --input
 * FILE.json} CLI: runs one mechanism of the pricing core on stated inputs and reports prices,
 * allocations, utilities and the verifier's verdict.
 */
package org.cnemarket.engine.whatif;
