package org.cnemarket.engine.auth;

import org.cnemarket.core.model.Role;

/**
 * Who is calling: a signed-in participant (address and role from its JWT) or the operator by its
 * configured bearer token ({@code address} null).
 */
public record Principal(String address, Role role) {
  public static final Principal OPERATOR_TOKEN = new Principal(null, Role.OPERATOR);

  /** Auditors and the operator read everything; others only what is theirs. */
  public boolean readsAll() {
    return role == Role.AUDITOR || role == Role.OPERATOR;
  }

  /** The key rate limits and idempotency records are kept under. */
  public String scope() {
    return address == null ? "operator" : address;
  }
}
