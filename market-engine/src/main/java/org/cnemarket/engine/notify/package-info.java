/**
 * Notifications: round results, a participant's fills and settlements, and low-balance warnings,
 * pushed to server-sent-event streams and to signed webhooks (retried with backoff).
 */
package org.cnemarket.engine.notify;
