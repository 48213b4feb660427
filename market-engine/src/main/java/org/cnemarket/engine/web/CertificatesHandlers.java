package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.engine.market.Certificates;
import org.cnemarket.engine.market.ParticipantQueries;

/** Green-energy certificates: a holder's balances per slot, signed transfers and retirements. */
final class CertificatesHandlers implements Operations.Group {
  /** At most a month of hourly slots per certificate query. */
  static final long MAX_SLOT_SPAN = 744;

  private final Certificates certificates;
  private final ParticipantQueries participants;

  CertificatesHandlers(Certificates certificates, ParticipantQueries participants) {
    this.certificates = certificates;
    this.participants = participants;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("getCertificates", this::getCertificates)
        .on("transferCertificates", this::transferCertificates)
        .on("retireCertificates", this::retireCertificates);
  }

  void getCertificates(Call call) {
    String a = Params.lower(call.path("address"));
    long from = Params.number(call.query("fromSlot"), "fromSlot", 0);
    long to = Params.number(call.query("toSlot"), "toSlot", 0);
    call.answer(
        200,
        () -> {
          if (to < from || to - from >= MAX_SLOT_SPAN) {
            throw ApiProblem.badRequest(
                "toSlot must be at or after fromSlot and span at most " + MAX_SLOT_SPAN + " slots");
          }
          participants.get(a);
          return Views.items(
              certificates.holdings(a, from, to).stream()
                  .map(
                      b -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("holder", b.holder());
                        m.put("slot", b.slot());
                        m.put("heldWh", b.heldWh());
                        m.put("retiredWh", b.retiredWh());
                        return (Object) m;
                      })
                  .toList());
        });
  }

  void transferCertificates(Call call) {
    Fields b = call.body("body");
    String from = Params.lower(b.string("from", null));
    String to = Params.lower(b.string("to", null));
    Movement mv = Movement.of(b);
    call.answer(
        201,
        () -> {
          certificates.transfer(from, to, mv.slot(), mv.amountWh(), mv.nonce(), mv.signature());
          Map<String, Object> parties = new LinkedHashMap<>();
          parties.put("from", from);
          parties.put("to", to);
          return mv.answer("transfer", parties);
        });
  }

  void retireCertificates(Call call) {
    Fields b = call.body("body");
    String holder = Params.lower(b.string("holder", null));
    Movement mv = Movement.of(b);
    call.answer(
        201,
        () -> {
          certificates.retire(holder, mv.slot(), mv.amountWh(), mv.nonce(), mv.signature());
          return mv.answer("retire", Map.of("holder", holder));
        });
  }

  /** What a signed certificate instruction moves: slot, Wh, nonce and the holder's signature. */
  private record Movement(long slot, long amountWh, long nonce, Signature signature) {
    static Movement of(Fields b) {
      Signature sig = JsonBodies.signature(b.string("signature", null));
      long slot = JsonBodies.nonNegative(b, "slot");
      long amountWh = JsonBodies.nonNegative(b, "amountWh");
      return new Movement(slot, amountWh, b.uint64("nonce"), sig);
    }

    Map<String, Object> answer(String op, Map<String, Object> parties) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("op", op);
      m.putAll(parties);
      m.put("slot", slot);
      m.put("amountWh", amountWh);
      m.put("nonce", Fields.uint64Json(nonce));
      return m;
    }
  }
}
