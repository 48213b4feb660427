package org.cnemarket.engine.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.store.MarketStore;

/** What the market knows of its participants: registrations, balances, reputation, auditors. */
public final class ParticipantQueries {
  /** An address the operator admitted as an auditor, and whether it has registered since. */
  public record AdmittedAuditor(String address, long admittedAtMillis, boolean registered) {}

  /** A provider's power model: the one it declared, or the default when it declared none. */
  public record PowerModel(String provider, boolean declared, PowerProfile model) {}

  private final MarketService market;
  private final MarketStore store;
  private final Ledger ledger;

  public ParticipantQueries(MarketService market) {
    this.market = market;
    this.store = market.store();
    this.ledger = market.ledger();
  }

  /** Registered participants, optionally of one role, a page at a time. */
  public List<Participant> list(Role role, int offset, int limit) {
    return store.participants().list(role, offset, limit);
  }

  public Optional<Participant> find(String address) {
    return store.participants().get(address);
  }

  /** The participant, or a not-found refusal. */
  public Participant get(String address) {
    return find(address).orElseThrow(() -> Refusal.notFound("no participant " + address));
  }

  /**
   * A participant's credits as the ledger holds them, with every order acknowledged before the call
   * on it: orders still on their way to the ledger (the feed lets a burst of intake go first) are
   * taken there first.
   */
  public Balance balance(String address) {
    get(address);
    if (store.orders().pendingCount() > 0) {
      LedgerProblems.call(market.feed()::flush);
    }
    return LedgerProblems.call(() -> ledger.balance(address));
  }

  /** A participant's delivery record on the ledger. */
  public Reputation reputation(String address) {
    get(address);
    return LedgerProblems.call(() -> ledger.reputation(address));
  }

  /** The addresses admitted as auditors. */
  public List<AdmittedAuditor> auditors() {
    List<AdmittedAuditor> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : store.participants().admittedAuditors()) {
      out.add(new AdmittedAuditor(e.getKey(), e.getValue(), find(e.getKey()).isPresent()));
    }
    return out;
  }

  /** A provider's power model; not found for an unknown address or one that is no provider. */
  public PowerModel powerModel(String address) {
    Participant p = get(address);
    if (p.role() != Role.PROVIDER) {
      throw Refusal.notFound(
          "a power model belongs to a provider; " + address + " is a " + p.role());
    }
    Optional<PowerProfile> declared = market.powerProfile(address);
    return new PowerModel(address, declared.isPresent(), declared.orElse(PowerProfile.DEFAULT));
  }
}
