/** The {@code audit} contract: key history for auditors. */
package org.cnemarket.chaincode.audit;
