package org.cnemarket.engine.auction;

import java.util.List;
import java.util.Optional;

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
        IdSet ids = new IdSet(Math.max(bids.size(), asks.size()));
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

    /**
     * Insert-only string set for the duplicate-id check: open addressing over the ids' cached hash codes,
     * no node per entry (a {@code HashSet} allocates one per order, which shows at 10^6 orders).
     */
    static final class IdSet {
        private final String[] keys;
        private final int[] hashes;
        private final int mask;
        private final int shift;

        IdSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1; // load ≤ 1/2
            keys = new String[cap];
            hashes = new int[cap];
            mask = cap - 1;
            shift = Integer.numberOfLeadingZeros(cap) + 1; // Fibonacci hashing: the top log2(cap) bits
        }

        /** Same contract as {@link java.util.Set#add}: false if an equal id is already present. */
        boolean add(String id) {
            int h = id.hashCode();
            int i = h * 0x9E3779B9 >>> shift;
            while (keys[i] != null) {
                if (hashes[i] == h && keys[i].equals(id)) {
                    return false;
                }
                i = i + 1 & mask;
            }
            keys[i] = id;
            hashes[i] = h;
            return true;
        }

        void clear() {
            java.util.Arrays.fill(keys, null);
        }
    }
}
