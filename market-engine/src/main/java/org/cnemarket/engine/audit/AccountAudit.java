package org.cnemarket.engine.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.store.AccountViews;
import org.cnemarket.engine.store.MarketStore;

/**
 * Conservation per account across the two stores: for every participant (and the platform's fee
 * account) the ledger's available balance and escrow must equal the engine's view of the account,
 * and its escrow what the account's open buy orders still hold in the engine; the sum of every
 * balance must equal every deposit. Meaningful once every record the engine holds is on the ledger
 * (the engine flushes before it checks; an offline audit reports what is pending).
 */
public final class AccountAudit {
  /** One account, on the ledger and in the engine. */
  public record AccountCheck(
      String account,
      long ledgerAvailableMicros,
      long ledgerEscrowMicros,
      long engineAvailableMicros,
      long engineEscrowMicros,
      long openOrdersEscrowMicros) {
    public boolean consistent() {
      return ledgerAvailableMicros == engineAvailableMicros
          && ledgerEscrowMicros == engineEscrowMicros
          && engineEscrowMicros == openOrdersEscrowMicros;
    }
  }

  /** Sums over every account, and the accounts that differ. */
  public record Conservation(
      long depositsMicros,
      long availableMicros,
      long escrowMicros,
      long participants,
      long accounts,
      List<AccountCheck> mismatches) {
    public boolean conserved() {
      return depositsMicros == availableMicros + escrowMicros && mismatches.isEmpty();
    }
  }

  private AccountAudit() {}

  public static Conservation check(MarketStore store, Ledger ledger) throws LedgerException {
    Set<String> addresses = new TreeSet<>();
    long participants = 0;
    for (int offset = 0; ; offset += 500) {
      List<Participant> page = store.participants().list(null, offset, 500);
      page.forEach(p -> addresses.add(p.address()));
      participants += page.size();
      if (page.size() < 500) {
        break;
      }
    }
    store.accounts().list().forEach(a -> addresses.add(a.address()));
    addresses.add(Units.PLATFORM_ACCOUNT);
    var books = store.accounts().books();
    long available = 0;
    long escrow = 0;
    List<AccountCheck> mismatches = new ArrayList<>();
    for (String a : addresses) {
      Balance b = ledger.balance(a);
      available = Math.addExact(available, b.availableMicros());
      escrow = Math.addExact(escrow, b.escrowMicros());
      var view = store.accounts().get(a).orElse(new AccountViews.AccountView(a, 0, 0));
      long open = books.containsKey(a) ? books.get(a).openEscrowMicros() : 0;
      AccountCheck check =
          new AccountCheck(
              a,
              b.availableMicros(),
              b.escrowMicros(),
              view.availableMicros(),
              view.escrowMicros(),
              open);
      if (!check.consistent()) {
        mismatches.add(check);
      }
    }
    return new Conservation(
        store.deposits().totalMicros(),
        available,
        escrow,
        participants,
        addresses.size(),
        List.copyOf(mismatches));
  }
}
