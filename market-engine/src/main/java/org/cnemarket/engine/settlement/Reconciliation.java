package org.cnemarket.engine.settlement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.store.AccountViews.AccountView;
import org.cnemarket.engine.store.MarketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up reconciliation steps that are not a plain flush of the ledger feed. */
public final class Reconciliation {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);

  private Reconciliation() {}

  /**
   * A database written before the engine kept its own view of every account gets the view once,
   * from the balances on the ledger and the buy orders' fills it holds.
   */
  public static void accountView(MarketStore store, Ledger ledger) throws LedgerException {
    if (store.accounts().viewReady()) {
      return;
    }
    List<AccountView> views = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int offset = 0; ; offset += 500) {
      List<Participant> page = store.participants().list(null, offset, 500);
      page.forEach(p -> addresses.add(p.address()));
      if (page.size() < 500) {
        break;
      }
    }
    addresses.add(Units.PLATFORM_ACCOUNT);
    for (String a : addresses) {
      Balance b = ledger.balance(a);
      views.add(new AccountView(a, b.availableMicros(), b.escrowMicros()));
    }
    Map<String, long[]> orders = new HashMap<>(store.accounts().legacyBuyOrderBooks());
    store.accounts().rebuildView(views, orders);
    LOG.info("built the account view of {} account(s) from the ledger", views.size());
  }
}
