/** The dashboard in a real (headless Chromium) browser. */
package org.cnemarket.tests.dashboard;
