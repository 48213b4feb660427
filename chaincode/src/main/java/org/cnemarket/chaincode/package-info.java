/**
 * CNE Market chaincode. One {@code @Contract} per aggregate (config, participants, escrow,
 * settlement, certificates, audit) in its own sub-package, each a thin shell over plain rule
 * classes; this package holds what they share: access control ({@link
 * org.cnemarket.chaincode.Access}), reason codes, state keys and the transaction runner ({@link
 * org.cnemarket.chaincode.Tx}) that stages writes until every check passed. Arguments and results
 * are strings of canonical JSON (market-core {@code Json} / {@code RecordCodec}).
 */
package org.cnemarket.chaincode;
