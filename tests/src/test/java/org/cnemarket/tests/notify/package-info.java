/** Notifications end to end: the event stream, the wallet's watch and signed webhooks. */
package org.cnemarket.tests.notify;
