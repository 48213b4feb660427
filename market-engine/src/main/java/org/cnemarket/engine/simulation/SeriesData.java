package org.cnemarket.engine.simulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real hourly series the scenarios use, from the slices shipped in {@code
 * resources/simulation/data} (provenance in its README). Index 0 is 2022-03-25T00:00Z; the first
 * {@link #WARMUP_HOURS} hours are history for the forecasts, simulated slots start at
 * 2022-04-01T00:00Z. Series from other years are aligned by hour of year (UTC).
 *
 * <p>Conversions: carbon g/kWh → mg/kWh (×1000); Danish prices EUR/MWh → micro-credits per kWh with
 * 1 credit = 1 EUR (×1000), floored at 1 EUR/MWh because orders carry positive prices. The US files
 * have no prices: a proxy 30 + 120 × fossil share EUR/MWh (gas, coal and oil over all generation)
 * stands in for them. Shapes are normalised to their maximum over the slice (ppm); Google CPU
 * utilisation is in bps and repeats after its 672 hours.
 */
public final class SeriesData {
  public static final int HOURS = 840;
  public static final int WARMUP_HOURS = 168;
  public static final int MAX_DAYS = (HOURS - WARMUP_HOURS) / 24;

  /** 2022-03-25T00:00Z in hours since the epoch: slot of index 0. */
  public static final long FIRST_SLOT = 1_648_166_400L / 3600;

  private static final Set<String> GRIDS = Set.of("caiso", "ercot", "dk1", "dk2");
  private static final Set<String> SHAPES =
      Set.of("caiso-sun", "caiso-wnd", "ercot-sun", "ercot-wnd", "de-pv");

  private final Map<String, long[]> ci = new HashMap<>();
  private final Map<String, long[]> price = new HashMap<>();
  private final Map<String, long[]> shapes = new HashMap<>();
  private final long[] cpuUtilBps;

  private SeriesData() {
    for (String iso : List.of("caiso", "ercot")) {
      List<String[]> rows = read(iso + "-2022-03-25-35d.csv");
      long[] c = new long[HOURS];
      long[] p = new long[HOURS];
      double[] sun = new double[HOURS];
      double[] wnd = new double[HOURS];
      for (int i = 0; i < HOURS; i++) {
        String[] r = rows.get(i);
        if (r.length < 10 || r[9].isBlank()) {
          // EIA gaps: carry the previous hour.
          c[i] = i > 0 ? c[i - 1] : 0;
          p[i] = i > 0 ? p[i - 1] : 0;
          sun[i] = i > 0 ? sun[i - 1] : 0;
          wnd[i] = i > 0 ? wnd[i - 1] : 0;
          continue;
        }
        double total = 0;
        for (int k = 1; k <= 8; k++) {
          total += Double.parseDouble(r[k]);
        }
        double fossil =
            Double.parseDouble(r[4]) + Double.parseDouble(r[5]) + Double.parseDouble(r[6]);
        c[i] = Math.round(Double.parseDouble(r[9]) * 1000);
        p[i] = Math.round((30 + 120 * (total > 0 ? fossil / total : 1)) * 1000);
        wnd[i] = Double.parseDouble(r[1]);
        sun[i] = Double.parseDouble(r[2]);
      }
      ci.put(iso, c);
      price.put(iso, p);
      shapes.put(iso + "-sun", normalise(sun));
      shapes.put(iso + "-wnd", normalise(wnd));
    }
    List<String[]> co2 = read("dk-co2-2023-03-25-35d.csv");
    List<String[]> dkp = read("dk-price-2023-03-25-35d.csv");
    for (int a = 0; a < 2; a++) {
      long[] c = new long[HOURS];
      long[] p = new long[HOURS];
      for (int i = 0; i < HOURS; i++) {
        c[i] = Math.round(Double.parseDouble(co2.get(i)[2 + a]) * 1000);
        p[i] = Math.max(1000, Math.round(Double.parseDouble(dkp.get(i)[2 + a]) * 1000));
      }
      ci.put("dk" + (a + 1), c);
      price.put("dk" + (a + 1), p);
    }
    List<String[]> de = read("de-load-pv-2020-03-24-35d.csv");
    double[] pv = new double[HOURS];
    for (int i = 0; i < HOURS; i++) {
      pv[i] = Double.parseDouble(de.get(i)[2]);
    }
    shapes.put("de-pv", normalise(pv));
    List<String[]> cpu = read("google-cpu-util-28d.csv");
    cpuUtilBps = new long[cpu.size()];
    for (int i = 0; i < cpu.size(); i++) {
      cpuUtilBps[i] = Math.round(Double.parseDouble(cpu.get(i)[1]) * 10_000);
    }
  }

  private static final class Holder {
    static final SeriesData INSTANCE = new SeriesData();
  }

  public static SeriesData load() {
    return Holder.INSTANCE;
  }

  static void requireGridSeries(String name) {
    if (!GRIDS.contains(name)) {
      throw new IllegalArgumentException(
          "unknown grid series " + name + " (expected one of " + GRIDS + ")");
    }
  }

  static void requireShape(String name) {
    if (!SHAPES.contains(name)) {
      throw new IllegalArgumentException(
          "unknown shape " + name + " (expected one of " + SHAPES + ")");
    }
  }

  /** Grid carbon intensity, mg CO2 per kWh. */
  public long[] carbonMgPerKwh(String grid) {
    return ci.get(grid);
  }

  /** Grid energy price, micro-credits per kWh. */
  public long[] priceMicrosPerKwh(String grid) {
    return price.get(grid);
  }

  /** A generation shape in ppm of its maximum. */
  public long[] shapePpm(String shape) {
    return shapes.get(shape);
  }

  /** Cluster CPU utilisation in bps at index {@code i} (repeating). */
  public long cpuUtilBps(int i) {
    return cpuUtilBps[Math.floorMod(i, cpuUtilBps.length)];
  }

  /** Mean cluster utilisation, bps: inference demand is shaped as utilisation / mean. */
  public long meanCpuUtilBps() {
    long s = 0;
    for (long v : cpuUtilBps) {
      s += v;
    }
    return s / cpuUtilBps.length;
  }

  private static long[] normalise(double[] v) {
    double max = 0;
    for (double x : v) {
      max = Math.max(max, x);
    }
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = max <= 0 ? 0 : Math.round(Math.max(0, v[i]) / max * 1_000_000);
    }
    return out;
  }

  private static List<String[]> read(String file) {
    String path = "/simulation/data/" + file;
    try (InputStream in = SeriesData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      r.readLine();
      List<String[]> rows = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
