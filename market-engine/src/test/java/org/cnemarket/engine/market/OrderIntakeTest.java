package org.cnemarket.engine.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.store.Orders.IntakeOrder;
import org.cnemarket.engine.store.Orders.IntakeRefusal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The group-committed intake: answers per order, and a full queue refuses only what did not fit.
 */
class OrderIntakeTest {
  static final Secp256k1.KeyPair GRID = key("intake-grid");

  private static List<IntakeOrder> offers(int count, long firstNonce) {
    List<IntakeOrder> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SignedOrder so =
          signed(order(OrderKind.ENERGY_OFFER, GRID, 5, 100, 90_000, firstNonce + i), GRID);
      String id = Hex.encode(Eip712.orderDigest(MarketFixture.DOMAIN, so.order()));
      out.add(new IntakeOrder(id, so, 0, false));
    }
    return out;
  }

  @Nested
  class RecordAll {
    @Test
    void answersEachOrderInTheGivenOrder() throws Exception {
      try (MarketFixture f = new MarketFixture(Files.createTempDirectory("intake"));
          OrderIntake intake =
              new OrderIntake(f.store, new Object(), Clock.systemUTC(), n -> {}, 64, 1_000)) {
        f.market.register(registration(GRID, Role.MICROGRID, "grid"));
        List<IntakeOrder> first = offers(3, 1);
        assertThat(intake.recordAll(first)).containsExactly(null, null, null);
        // Nonces 2 and 3 again, between two new ones.
        List<IntakeOrder> second = new ArrayList<>(offers(1, 10));
        second.addAll(offers(2, 2));
        second.addAll(offers(1, 11));
        assertThat(intake.recordAll(second))
            .containsExactly(null, IntakeRefusal.NONCE_USED, IntakeRefusal.NONCE_USED, null);
        assertThat(intake.recordAll(List.of())).isEmpty();
        for (IntakeOrder io : first) {
          assertThat(f.store.orders().get(io.orderId())).isPresent();
        }
      }
    }

    @Test
    void aFullQueueRefusesTheRestAfterRecordingWhatWasQueued() throws Exception {
      Object lock = new Object();
      try (MarketFixture f = new MarketFixture(Files.createTempDirectory("intake"));
          OrderIntake intake = new OrderIntake(f.store, lock, Clock.systemUTC(), n -> {}, 4, 300)) {
        f.market.register(registration(GRID, Role.MICROGRID, "grid"));
        List<IntakeOrder> orders = offers(12, 1);
        CompletableFuture<Object> answer;
        synchronized (lock) {
          // The writer takes the first order and waits for the lock; four more fill the queue.
          answer =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return intake.recordAll(orders);
                    } catch (Refusal r) {
                      return r;
                    }
                  });
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (intake.waiting() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          Thread.sleep(1_000); // past the caller's 300 ms wait for room
        }
        Object result = answer.get();
        assertThat(result).isInstanceOf(Refusal.class);
        Refusal r = (Refusal) result;
        assertThat(r.reason()).isEqualTo(Refusal.Reason.INTAKE_BUSY);
        // The writer held one group (the first order and what was queued when it took it) and the
        // queue four more: those are recorded, and the refusal says how many.
        Matcher m = Pattern.compile("(\\d+) order\\(s\\) before this one").matcher(r.getMessage());
        assertThat(m.find()).as(r.getMessage()).isTrue();
        int recorded = Integer.parseInt(m.group(1));
        assertThat(recorded).isBetween(5, 9);
        for (int i = 0; i < orders.size(); i++) {
          assertThat(f.store.orders().get(orders.get(i).orderId()).isPresent())
              .as("order %d recorded", i)
              .isEqualTo(i < recorded);
        }
      }
    }
  }
}
