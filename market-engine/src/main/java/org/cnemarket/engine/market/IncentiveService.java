package org.cnemarket.engine.market;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.contract.Contract;
import org.cnemarket.engine.pricing.contract.ContractDesigner;
import org.cnemarket.engine.pricing.contract.ContractMenu;
import org.cnemarket.engine.pricing.contract.MenuChecker;
import org.cnemarket.engine.store.IncentiveContracts.TakenContract;

/**
 * Contract-theory incentives: every epoch (a day of hourly slots) the platform offers providers a
 * menu {(q_k, R_k)} of committed green capacity and reward, screened on the provider's type, which
 * comes from its delivery record on the ledger (Beta reputation mapped to K levels). A provider
 * takes a contract with a signed choice; the engine accepts only the contract designed for its type
 * (incentive compatibility makes it the provider's best choice anyway) and pays the reward as an
 * operator deposit, so credits stay conserved.
 */
public final class IncentiveService {
  public static final long SLOTS_PER_EPOCH = 24;

  /** θ levels, unit cost c and platform valuation α of the menu (the reference formulation). */
  public record MenuParameters(double[] thetas, double unitCost, double alpha) {
    public static final MenuParameters DEFAULT =
        new MenuParameters(new double[] {1, 2, 3}, 1.0, 10.0);
  }

  /** A menu of one epoch in fixed point: q in milli compute units, R in micro-credits. */
  public record Offer(
      long epoch, List<long[]> contracts, double[] priors, boolean checked, ContractMenu menu) {}

  private final MarketService market;
  private final MenuParameters params;

  public IncentiveService(MarketService market, MenuParameters params) {
    this.market = market;
    this.params = params;
  }

  public static long epochOf(long slot) {
    return Math.floorDiv(slot, SLOTS_PER_EPOCH);
  }

  /** A provider's type index from its delivery record (0 = least trusted). */
  public int typeOf(String provider) {
    Reputation r = LedgerProblems.call(() -> market.ledger().reputation(provider));
    return value(
        org.cnemarket.engine.pricing.contract.Reputation.typeIndex(
            r.delivered(), r.committed(), params.thetas().length));
  }

  /** The epoch's menu; priors are the registered providers' type shares (add-one smoothed). */
  public Offer menu(long epoch) {
    int k = params.thetas().length;
    double[] counts = new double[k];
    Arrays.fill(counts, 1.0);
    for (Participant p : market.store().participants().list(Role.PROVIDER, 0, 10_000)) {
      counts[typeOf(p.address())] += 1;
    }
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    double[] priors = new double[k];
    for (int i = 0; i < k; i++) {
      priors[i] = counts[i] / total;
    }
    ContractMenu menu =
        value(
            ContractDesigner.optimalMenu(
                params.thetas(), priors, params.unitCost(), params.alpha()));
    boolean checked = MenuChecker.check(menu).valid();
    List<long[]> fixed = new ArrayList<>();
    for (Contract c : menu.contracts()) {
      fixed.add(new long[] {Math.round(c.quantity() * 1000), Math.round(c.reward() * 1e6)});
    }
    return new Offer(epoch, fixed, priors, checked, menu);
  }

  public Map<String, Object> menuJson(long epoch) {
    Offer o = menu(epoch);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    List<Object> cs = new ArrayList<>();
    for (int i = 0; i < o.contracts().size(); i++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("index", (long) i);
      c.put("thetaMilli", Math.round(params.thetas()[i] * 1000));
      c.put("priorPpm", Math.round(o.priors()[i] * 1e6));
      c.put("committedMilliUnits", o.contracts().get(i)[0]);
      c.put("rewardMicros", o.contracts().get(i)[1]);
      cs.add(c);
    }
    m.put("contracts", cs);
    m.put("irIcChecked", o.checked());
    return m;
  }

  /** Accepts a provider's signed choice for {@code epoch}; returns the stored acceptance. */
  public synchronized Map<String, Object> choose(
      String provider, long epoch, long index, long nonce, Signature sig) {
    Participant p =
        market.participant(provider).orElseThrow(() -> Refusal.unknownParticipant(provider));
    if (p.role() != Role.PROVIDER) {
      throw Refusal.forbidden(
          "only providers take incentive contracts; " + provider + " is a " + p.role());
    }
    byte[] digest = Eip712.contractChoiceDigest(market.domain(), provider, epoch, index, nonce);
    if (!Secp256k1.verify(digest, sig, provider)) {
      throw Refusal.badSignature("the contract choice is not signed by " + provider);
    }
    Optional<TakenContract> existing = market.store().contracts().get(epoch, provider);
    if (existing.isPresent()) {
      TakenContract t = existing.get();
      if (t.index() == index && t.nonce() == nonce) {
        return toJson(t);
      }
      throw new Refusal(
          Refusal.Reason.CONTRACT_TAKEN,
          provider + " took contract " + t.index() + " for epoch " + epoch + " already");
    }
    Offer offer = menu(epoch);
    if (index < 0 || index >= offer.contracts().size()) {
      throw Refusal.badRequest("the menu has contracts 0 to " + (offer.contracts().size() - 1));
    }
    int type = typeOf(provider);
    if (!offer.menu().isChoiceConsistent(type, (int) index)) {
      throw new Refusal(
          Refusal.Reason.CONTRACT_NOT_FOR_TYPE,
          "contract "
              + index
              + " is not the one designed for type "
              + type
              + " (delivery record); take contract "
              + offer.menu().bestContractFor(params.thetas()[type]));
    }
    long reward = offer.contracts().get((int) index)[1];
    TakenContract taken =
        new TakenContract(
            provider, epoch, index, type, nonce, offer.contracts().get((int) index)[0], reward);
    if (reward > 0) {
      market.deposit("contract-" + epoch + "-" + provider.substring(2, 18), provider, reward);
    }
    market.store().contracts().insert(taken);
    return toJson(taken);
  }

  private static Map<String, Object> toJson(TakenContract t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", t.provider());
    m.put("epoch", t.epoch());
    m.put("index", t.index());
    m.put("type", t.type());
    m.put("nonce", Fields.uint64Json(t.nonce()));
    m.put("committedMilliUnits", t.committedMilliUnits());
    m.put("rewardMicros", t.rewardMicros());
    return m;
  }

  /** Contracts taken in {@code epoch}. */
  public List<Map<String, Object>> taken(long epoch) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Participant p : market.store().participants().list(Role.PROVIDER, 0, 10_000)) {
      market.store().contracts().get(epoch, p.address()).ifPresent(t -> out.add(toJson(t)));
    }
    return out;
  }

  private static <T> T value(Result<T> r) {
    if (r instanceof Result.Ok<T> ok) {
      return ok.value();
    }
    throw new Refusal(Refusal.Reason.INVALID_MENU, r.reason());
  }
}
