package org.cnemarket.engine.ledger.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnemarket.engine.MarketFixture.DOMAIN;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.cnemarket.chaincode.escrow.EscrowRules;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded ledger commits a feed pass of several AcceptOrders transactions in one database
 * write: each transaction in its own signed block, all of them or none.
 */
class CommitTogetherTest {
  static final Secp256k1.KeyPair GRID = key("together-grid");

  @TempDir Path dir;
  EmbeddedLedger ledger;

  @BeforeEach
  void open() throws Exception {
    ledger = EmbeddedLedger.open(dir, DOMAIN, Clock.systemUTC());
    ledger.register(registration(GRID, Role.MICROGRID, "grid"));
  }

  static List<SignedOrder> offers(long fromNonce, int count) {
    return LongStream.range(fromNonce, fromNonce + count)
        .parallel()
        .mapToObj(n -> signed(order(OrderKind.ENERGY_OFFER, GRID, 7, 1_000, 50_000, n), GRID))
        .toList();
  }

  @Test
  void aPassLargerThanOneTransactionIsAcceptedInOneBlockPerTransaction() throws Exception {
    int count = EscrowRules.MAX_BATCH_ORDERS + 300;
    List<SignedOrder> orders = offers(1, count);
    long before = ledger.chain().height();

    List<OrderAcceptance> answers = ledger.acceptOrders(orders);

    assertThat(answers).hasSize(count).containsOnly(OrderAcceptance.ACCEPTED);
    assertThat(ledger.chain().height()).isEqualTo(before + 2);
    assertThat(ledger.orderAccepted(orders.get(0).id(DOMAIN))).isTrue();
    assertThat(ledger.orderAccepted(orders.get(count - 1).id(DOMAIN))).isTrue();
    assertThat(ledger.ordersPerFeedPass()).isGreaterThan(EscrowRules.MAX_BATCH_ORDERS);
    ledger.close();
    LedgerAudit.Report audit = LedgerAudit.verify(dir);
    assertThat(audit.problem()).isNull();
    assertThat(audit.verified()).isTrue();
  }

  @Test
  void aRefusedTransactionCommitsNoneOfThoseSubmittedWithIt() throws Exception {
    List<SignedOrder> first = offers(1, 3);
    long before = ledger.chain().height();

    // The second transaction is malformed (an empty batch): the chaincode refuses it whole.
    assertThatThrownBy(
            () -> ledger.submitAll("escrow:AcceptOrders", List.of(batchJson(first), "[]")))
        .isInstanceOf(LedgerRejectedException.class);

    assertThat(ledger.chain().height()).isEqualTo(before);
    for (SignedOrder o : first) {
      assertThat(ledger.orderAccepted(o.id(DOMAIN))).isFalse();
    }
    // The ledger goes on from where it was: the same orders are accepted afterwards.
    assertThat(ledger.acceptOrders(first)).containsOnly(OrderAcceptance.ACCEPTED);
    assertThat(ledger.chain().height()).isEqualTo(before + 1);
    ledger.close();
    assertThat(LedgerAudit.verify(dir).verified()).isTrue();
  }

  @Test
  void laterTransactionsOfOneWriteSeeTheEarlierOnes() throws Exception {
    List<SignedOrder> orders = offers(1, 2);
    Eip712.Domain domain = DOMAIN;

    // The same order twice in one write: the second transaction sees the first's acceptance.
    var done =
        ledger.submitAll(
            "escrow:AcceptOrders", List.of(batchJson(orders), batchJson(orders.subList(0, 1))));

    assertThat(done.get(0).payload()).contains("\"ACCEPTED\"");
    assertThat(done.get(1).payload()).contains("ALREADY_ACCEPTED");
    assertThat(ledger.orderAccepted(orders.get(1).id(domain))).isTrue();
    ledger.close();
  }

  static String batchJson(List<SignedOrder> orders) {
    List<Object> json = new ArrayList<>();
    orders.forEach(o -> json.add(RecordCodec.signedOrder(o)));
    return Json.write(json);
  }
}
