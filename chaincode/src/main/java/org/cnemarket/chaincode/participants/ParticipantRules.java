package org.cnemarket.chaincode.participants;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;

/** Registration of participants from their own EIP-712 signed registrations. */
public final class ParticipantRules {
  static final int MAX_NAME = 128;

  private ParticipantRules() {}

  /**
   * Registers; the same account, role and name again is a no-op. Nobody registers as OPERATOR (the
   * operator is the platform's MSP identity) and nobody changes role: both ROLE.
   */
  public static Map<String, Object> register(TxContext tx, String registrationJson) {
    Registration r = RecordCodec.registrationFromJson(registrationJson);
    if (r.name().isBlank() || r.name().length() > MAX_NAME) {
      throw ReasonCode.INVALID.reject("name must be 1 to " + MAX_NAME + " characters");
    }
    if (r.nonce() < 0) {
      throw ReasonCode.INVALID.reject("nonce must not be negative");
    }
    if (!r.verify(tx.domain())) {
      throw ReasonCode.SIGNATURE.reject(
          "registration signature does not recover to " + r.account());
    }
    if (r.role() == Role.OPERATOR) {
      throw ReasonCode.ROLE.reject("the OPERATOR role is not open to registration");
    }
    String key = StateKeys.participant(r.account());
    Participant existing = find(tx, r.account());
    Map<String, Object> out = view(new Participant(r.account(), r.role(), r.name()));
    if (existing != null) {
      if (existing.role() != r.role()) {
        throw ReasonCode.ROLE.reject(
            r.account() + " is already registered as " + existing.role() + ", not " + r.role());
      }
      if (!existing.name().equals(r.name())) {
        throw ReasonCode.INVALID.reject(r.account() + " is already registered under another name");
      }
      out.put("alreadyRegistered", true);
      return out;
    }
    tx.state().put(key, RecordCodec.registration(r));
    Map<String, Object> event = view(new Participant(r.account(), r.role(), r.name()));
    event.put("account", r.account());
    tx.state().event("ParticipantRegistered", event);
    out.put("alreadyRegistered", false);
    return out;
  }

  /** The registered participant, or null. */
  public static Participant find(TxContext tx, String address) {
    Fields f = tx.state().fields(StateKeys.participant(address));
    if (f == null) {
      return null;
    }
    return new Participant(f.string("account"), Role.parse(f.string("role")), f.string("name"));
  }

  /** The registered participant, or UNKNOWN_PARTICIPANT. */
  public static Participant require(TxContext tx, String address) {
    Participant p = find(tx, address);
    if (p == null) {
      throw ReasonCode.UNKNOWN_PARTICIPANT.reject(address + " is not a registered participant");
    }
    return p;
  }

  /** {"address","role","name"}. */
  public static Map<String, Object> view(Participant p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", p.address());
    m.put("role", p.role().name());
    m.put("name", p.name());
    return m;
  }
}
