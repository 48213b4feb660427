package org.cnemarket.engine.web;

import java.util.Locale;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;

/**
 * Path and query parameters in the engine's forms (lower-case addresses and hashes, longs, pages).
 * The contract validated them already; a value that still does not parse is a 400, never a 500.
 */
final class Params {
  static final int MAX_PAGE = 500;

  /** A page of a list: where it starts and how many items it holds. */
  record Page(int offset, int limit) {}

  private Params() {}

  static String address(String s) {
    String a = lower(s);
    if (a == null || !a.matches("0x[0-9a-f]{40}")) {
      throw ApiProblem.badRequest("not a 0x address: " + s);
    }
    return a;
  }

  /** An optional address: null when absent. */
  static String addressOrNull(String s) {
    return s == null ? null : address(s);
  }

  static String hash(String s) {
    String h = lower(s);
    if (h == null || !h.matches("0x[0-9a-f]{64}")) {
      throw ApiProblem.badRequest("not a 32-byte 0x hash: " + s);
    }
    return h;
  }

  /** A non-negative integer; {@code fallback} when absent. */
  static long number(String s, String name, long fallback) {
    return s == null ? fallback : number(s, name);
  }

  static long number(String s, String name) {
    try {
      long v = Long.parseLong(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiProblem.badRequest(name + " must be an integer from 0 to " + Long.MAX_VALUE);
  }

  /** {@code offset} (default 0) and {@code limit} (default 100, at most {@link #MAX_PAGE}). */
  static Page page(Call call) {
    int offset = (int) Math.min(Integer.MAX_VALUE, number(call.query("offset"), "offset", 0));
    long limit = number(call.query("limit"), "limit", 100);
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiProblem.badRequest("limit must be between 1 and " + MAX_PAGE);
    }
    return new Page(offset, (int) limit);
  }

  static Role role(String s) {
    try {
      return s == null ? null : Role.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  /** An order kind (ENERGY_BID ...), or null when absent. */
  static String orderKind(String s) {
    try {
      return s == null ? null : OrderKind.parse(s).name();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  /** A market (ENERGY or COMPUTE), or null when absent. */
  static String market(String s) {
    try {
      return s == null ? null : OrderKind.Market.valueOf(s.toUpperCase(Locale.ROOT)).name();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("kind must be ENERGY or COMPUTE, not " + s);
    }
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
