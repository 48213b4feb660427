package org.cnemarket.engine.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches logback to JSON lines (logback-json.xml) when configured. */
public final class Logging {
  private Logging() {}

  public static void configure(String format) {
    if (!"json".equals(format)
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    URL config = Logging.class.getClassLoader().getResource("logback-json.xml");
    if (config == null) {
      return;
    }
    try {
      JoranConfigurator j = new JoranConfigurator();
      j.setContext(ctx);
      ctx.reset();
      j.doConfigure(config);
    } catch (JoranException e) {
      System.err.println("cne-engine: cannot switch to JSON logs: " + e.getMessage());
    }
  }
}
