package org.cnemarket.engine.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.cnemarket.engine.market.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's webhooks: registered (an absolute http or https URL without credentials, a
 * bounded number per participant, a fresh secret each), listed and deleted.
 */
public final class WebhookRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistry.class);
  public static final int MAX_WEBHOOKS_PER_PARTICIPANT = 10;
  private static final int SECRET_BYTES = 32;

  private final WebhookStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebhookRegistry(WebhookStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Registers {@code url} for {@code owner}; the webhook returned carries its secret. */
  public WebhookStore.Webhook register(String owner, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw Refusal.badRequest("url must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getUserInfo() != null) {
      throw Refusal.badRequest("url must be an absolute http or https URL without credentials");
    }
    if (store.list(owner).size() >= MAX_WEBHOOKS_PER_PARTICIPANT) {
      throw new Refusal(
          Refusal.Reason.TOO_MANY_WEBHOOKS,
          owner + " has " + MAX_WEBHOOKS_PER_PARTICIPANT + " webhooks already; delete one first");
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    WebhookStore.Webhook w =
        new WebhookStore.Webhook(
            UUID.randomUUID().toString(),
            owner,
            uri.toString(),
            HexFormat.of().formatHex(secret),
            clock.millis());
    store.insert(w);
    LOG.info("webhook {} of {} registered for {}", w.webhookId(), owner, uri.getHost());
    return w;
  }

  /** The webhooks of {@code owner}. */
  public List<WebhookStore.Webhook> list(String owner) {
    return store.list(owner);
  }

  /** Deletes {@code owner}'s webhook, or refuses as not found when it has none by that id. */
  public void delete(String webhookId, String owner) {
    if (!store.delete(webhookId, owner)) {
      throw Refusal.notFound("no webhook " + webhookId + " of " + owner);
    }
  }
}
