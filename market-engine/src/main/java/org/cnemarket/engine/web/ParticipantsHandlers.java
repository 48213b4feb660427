package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.ParticipantQueries;
import org.cnemarket.engine.round.PowerProfile;

/** Participants: registration, balances, reputation, power models, auditors and deposits. */
final class ParticipantsHandlers implements Operations.Group {
  private final MarketService market;
  private final ParticipantQueries participants;
  private final IncentiveService incentives;

  ParticipantsHandlers(
      MarketService market, ParticipantQueries participants, IncentiveService incentives) {
    this.market = market;
    this.participants = participants;
    this.incentives = incentives;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("registerParticipant", this::registerParticipant)
        .on("listParticipants", this::listParticipants)
        .on("getParticipant", this::getParticipant)
        .on("getBalance", this::getBalance)
        .on("getReputation", this::getReputation)
        .on("getPowerModel", this::getPowerModel)
        .on("setPowerModel", this::setPowerModel)
        .on("admitAuditor", this::admitAuditor)
        .on("listAuditors", this::listAuditors)
        .on("createDeposit", this::createDeposit);
  }

  void registerParticipant(Call call) {
    var reg = JsonBodies.registration(call.body("registration"));
    call.answer(201, () -> Views.participant(market.register(reg)));
  }

  void listParticipants(Call call) {
    var role = Params.role(call.query("role"));
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                participants.list(role, page.offset(), page.limit()).stream()
                    .map(Views::participant)
                    .toList()));
  }

  void getParticipant(Call call) {
    String a = Params.address(call.path("address"));
    call.answer(200, () -> Views.participant(participants.get(a)));
  }

  void getBalance(Call call) {
    String a = Params.address(call.path("address"));
    call.answer(
        200,
        () -> {
          var b = participants.balance(a);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("account", b.account());
          m.put("availableMicros", b.availableMicros());
          m.put("escrowMicros", b.escrowMicros());
          return m;
        });
  }

  void getReputation(Call call) {
    String a = Params.address(call.path("address"));
    call.answer(
        200,
        () -> {
          var rep = participants.reputation(a);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("provider", rep.provider());
          m.put("committed", rep.committed());
          m.put("delivered", rep.delivered());
          m.put("successes", rep.successes());
          m.put("failures", rep.failures());
          m.put("scoreBps", rep.scoreBps());
          m.put("type", (long) incentives.typeOf(a));
          return m;
        });
  }

  void getPowerModel(Call call) {
    String a = Params.address(call.path("address"));
    call.answer(
        200,
        () -> {
          var p = participants.powerModel(a);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("provider", p.provider());
          m.put("declared", p.declared());
          m.put("model", p.model().toJson());
          // Informational (never reaches the ledger): facility energy of one unit.
          m.put("milliWhPerUnit", Math.round(p.model().kwhPerUnit() * 1_000_000));
          return m;
        });
  }

  void setPowerModel(Call call) {
    String a = Params.address(call.path("address"));
    Fields f = call.body("powerModel");
    PowerProfile profile;
    try {
      profile = PowerProfile.fromJson(f);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    call.answer(
        200,
        () -> {
          market.setPowerProfile(a, profile);
          return profile.toJson();
        });
  }

  void admitAuditor(Call call) {
    String a = Params.lower(call.body("auditor").string("address", null));
    call.answer(
        201,
        () -> {
          boolean admitted = market.admitAuditor(a);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("address", a);
          m.put("newlyAdmitted", admitted);
          return m;
        });
  }

  void listAuditors(Call call) {
    call.answer(
        200,
        () ->
            Views.items(
                participants.auditors().stream()
                    .map(
                        e -> {
                          Map<String, Object> m = new LinkedHashMap<>();
                          m.put("address", e.address());
                          m.put("admittedAtMillis", e.admittedAtMillis());
                          m.put("registered", e.registered());
                          return (Object) m;
                        })
                    .toList()));
  }

  void createDeposit(Call call) {
    Fields f = call.body("deposit");
    String id;
    String account;
    long amount;
    try {
      id = f.string("depositId");
      account = f.string("account").toLowerCase(Locale.ROOT);
      amount = f.longValue("amountMicros");
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    call.answer(
        201,
        () -> {
          market.deposit(id, account, amount);
          return Map.of("depositId", id, "account", account, "amountMicros", amount);
        });
  }
}
