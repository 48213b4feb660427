package org.cnemarket.engine.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real hourly series the demo market runs on (see {@code data/README.md} in the engine's
 * resources for their provenance): 336 aligned hours of solar, wind, grid price and carbon,
 * household load and data-centre utilisation.
 */
public final class DemoSeries {
  public static final int HOURS = 336;

  final double[] caisoSolarMw;
  final double[] ercotWindMw;
  final double[] dk1PriceEurPerMwh;
  final double[] dk1Co2GPerKwh;
  final double[] householdLoadKw;
  final double[] pvYieldPerKwp;
  final double[] cpuUtilisation;

  private DemoSeries() {
    caisoSolarMw = column("caiso-2022-07-01-14d.csv", 2);
    ercotWindMw = column("ercot-2022-07-01-14d.csv", 1);
    dk1PriceEurPerMwh = column("dk-price-2023-07-01-14d.csv", 2);
    dk1Co2GPerKwh = column("dk-co2-2023-07-01-14d.csv", 2);
    householdLoadKw = column("de-load-pv-2020-07-01-14d.csv", 1);
    pvYieldPerKwp = column("de-load-pv-2020-07-01-14d.csv", 2);
    cpuUtilisation = column("google-cpu-util-14d.csv", 1);
  }

  public static DemoSeries load() {
    return new DemoSeries();
  }

  static double max(double[] xs) {
    double m = 0;
    for (double x : xs) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static double[] column(String file, int col) {
    try (InputStream in = DemoSeries.class.getResourceAsStream("/data/" + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "demo data file " + file + " is missing from the engine jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Double> values = new ArrayList<>();
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          values.add(Double.parseDouble(line.split(",", -1)[col]));
        }
      }
      if (values.size() != HOURS) {
        throw new IllegalStateException(
            file + " has " + values.size() + " rows, expected " + HOURS);
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
