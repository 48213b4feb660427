package org.cnemarket.chaincode;

import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;

/**
 * Who may submit what, decided by the submitting MSP identity's {@code cne.role} attribute (the
 * Fabric CA attribute extension). Participants never submit: they act through signatures carried in
 * the records, which the rule classes check.
 *
 * <ul>
 *   <li>{@code operator}: every transaction;
 *   <li>{@code auditor}: queries only;
 *   <li>any other identity: nothing (ROLE).
 * </ul>
 */
public final class Access {
  public static final String ROLE_ATTRIBUTE = "cne.role";
  public static final String OPERATOR = "operator";
  public static final String AUDITOR = "auditor";

  private Access() {}

  /** The identity's {@code cne.role}, or null. */
  public static String role(Context ctx) {
    ClientIdentity id = ctx.getClientIdentity();
    return id == null ? null : id.getAttributeValue(ROLE_ATTRIBUTE);
  }

  public static void requireOperator(Context ctx) {
    if (!OPERATOR.equals(role(ctx))) {
      throw ReasonCode.ROLE.reject("only an operator identity may submit this transaction");
    }
  }

  public static void requireReader(Context ctx) {
    String role = role(ctx);
    if (!OPERATOR.equals(role) && !AUDITOR.equals(role)) {
      throw ReasonCode.ROLE.reject("only operator or auditor identities may query the ledger");
    }
  }
}
