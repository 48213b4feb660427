package org.cnemarket.engine.auction;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Shared input checks for all auctions; returns the first problem found. */
final class OrderValidation {

    private OrderValidation() {
    }

    static Optional<String> check(List<Bid> bids, List<Ask> asks) {
        if (bids == null || asks == null) {
            return Optional.of("bids and asks are required");
        }
        if (bids.isEmpty()) {
            return Optional.of("empty market: no bids");
        }
        if (asks.isEmpty()) {
            return Optional.of("empty market: no asks");
        }
        Set<String> ids = new HashSet<>(bids.size() * 2);
        long total = 0;
        for (Bid b : bids) {
            if (b == null || b.id() == null || b.id().isEmpty()) {
                return Optional.of("every bid needs a non-empty id");
            }
            if (!ids.add(b.id())) {
                return Optional.of("duplicate bid id " + b.id());
            }
            if (b.quantityWh() < 0) {
                return Optional.of("bid " + b.id() + ": negative quantityWh " + b.quantityWh());
            }
            if (b.priceMicros() < 0) {
                return Optional.of("bid " + b.id() + ": negative priceMicros " + b.priceMicros());
            }
            if (b.minGreenBps() < 0 || b.minGreenBps() > 10_000) {
                return Optional.of("bid " + b.id() + ": minGreenBps must be in [0,10000], got " + b.minGreenBps());
            }
            total += b.quantityWh();
            if (total < 0) {
                return Optional.of("total bid quantity overflows a long");
            }
        }
        ids.clear();
        total = 0;
        for (Ask a : asks) {
            if (a == null || a.id() == null || a.id().isEmpty()) {
                return Optional.of("every ask needs a non-empty id");
            }
            if (!ids.add(a.id())) {
                return Optional.of("duplicate ask id " + a.id());
            }
            if (a.quantityWh() < 0) {
                return Optional.of("ask " + a.id() + ": negative quantityWh " + a.quantityWh());
            }
            if (a.priceMicros() < 0) {
                return Optional.of("ask " + a.id() + ": negative priceMicros " + a.priceMicros());
            }
            if (a.carbonMgPerKwh() < 0) {
                return Optional.of("ask " + a.id() + ": negative carbonMgPerKwh " + a.carbonMgPerKwh());
            }
            total += a.quantityWh();
            if (total < 0) {
                return Optional.of("total ask quantity overflows a long");
            }
        }
        return Optional.empty();
    }

    static Optional<String> checkK(double k) {
        if (!(k >= 0 && k <= 1)) {
            return Optional.of("k must be in [0,1], got " + k);
        }
        return Optional.empty();
    }
}
