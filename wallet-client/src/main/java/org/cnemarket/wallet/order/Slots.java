package org.cnemarket.wallet.order;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Delivery slots: hours since the Unix epoch (UTC), written as numbers or ISO-8601 hours. */
public final class Slots {
  private static final long SECONDS_PER_SLOT = 3600;
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

  private Slots() {}

  /** Parses "493021" (hours since the epoch) or "2026-07-01T13:00Z" (a whole hour, any offset). */
  public static long parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("slot is required");
    }
    String s = text.trim();
    if (s.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("slot is too large: " + s);
      }
    }
    OffsetDateTime t;
    try {
      t = OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "slot must be hours since the epoch or an ISO-8601 hour such as 2026-07-01T13:00Z, not '"
              + s
              + "'");
    }
    long epochSecond = t.toEpochSecond();
    if (epochSecond < 0 || epochSecond % SECONDS_PER_SLOT != 0 || t.getNano() != 0) {
      throw new IllegalArgumentException(
          "slot must be a whole hour at or after 1970-01-01T00:00Z: " + s);
    }
    return epochSecond / SECONDS_PER_SLOT;
  }

  /** The slot containing {@code instant}. */
  public static long of(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_SLOT);
  }

  /** The slot's start as an ISO-8601 UTC hour, e.g. "2026-07-01T13:00Z". */
  public static String format(long slot) {
    return HOUR.format(Instant.ofEpochSecond(slot * SECONDS_PER_SLOT));
  }
}
