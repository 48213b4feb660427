package org.cnemarket.engine.simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.codec.Json;

/**
 * Writes a run's outputs: {@code slots.csv} (one row per strategy, slot and zone), {@code
 * summary.json} and {@code report.html}, a self-contained page with inline SVG charts.
 */
final class Report {
  private static final String[] COLOURS = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"
  };

  private Report() {}

  static void write(
      Path dir, Map<String, Object> summary, List<Simulator.Result> results, World world)
      throws IOException {
    Files.writeString(dir.resolve("summary.json"), Json.write(summary) + "\n");
    StringBuilder csv =
        new StringBuilder(
            "strategy,slot_utc,zone,energy_price_micros_per_kwh,energy_wh,green_wh,"
                + "carbon_mg,compute_milli_units,compute_price_micros_per_unit,renewable_offered_wh,curtailed_wh,"
                + "shifted_milli_units,moved_in_milli_units,grid_carbon_mg_per_kwh\n");
    for (Simulator.Result r : results) {
      for (Simulator.SlotRow x : r.rows()) {
        csv.append(r.strategy().label())
            .append(',')
            .append(time(x.index()))
            .append(',')
            .append(world.scenario.zones().get(x.zone()).name())
            .append(',')
            .append(x.energyPriceMicros())
            .append(',')
            .append(x.energyWh())
            .append(',')
            .append(x.greenWh())
            .append(',')
            .append(x.carbonMg())
            .append(',')
            .append(x.computeMilliUnits())
            .append(',')
            .append(x.computePriceMicros())
            .append(',')
            .append(x.renewableOfferedWh())
            .append(',')
            .append(x.curtailedWh())
            .append(',')
            .append(x.shiftedMilliUnits())
            .append(',')
            .append(x.movedInMilliUnits())
            .append(',')
            .append(x.gridCarbonMgPerKwh())
            .append('\n');
      }
    }
    Files.writeString(dir.resolve("slots.csv"), csv);
    Files.writeString(dir.resolve("report.html"), html(summary, results, world));
  }

  static String time(int index) {
    return Instant.ofEpochSecond((SeriesData.FIRST_SLOT + index) * 3600).toString();
  }

  @SuppressWarnings("unchecked")
  static String html(Map<String, Object> summary, List<Simulator.Result> results, World world) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CNE Market simulation: ")
        .append(esc((String) summary.get("scenario")))
        .append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append(
            "th:first-child,td:first-child{text-align:left}h2{margin-top:28px}.grid{display:flex;flex-wrap:wrap;gap:16px}")
        .append(
            ".ok{color:#1b7e37;font-weight:600}.no{color:#b3261e;font-weight:600}svg{background:#fafafa;border:1px solid #eee}")
        .append("</style></head><body>");
    h.append("<h1>")
        .append(esc((String) summary.get("scenario")))
        .append("</h1><p>")
        .append(esc((String) summary.get("description")))
        .append("</p><p>")
        .append(summary.get("days"))
        .append(" days from ")
        .append(summary.get("firstSlotUtc"))
        .append(", ")
        .append(summary.get("providers"))
        .append(" providers, ")
        .append(summary.get("microgrids"))
        .append(" microgrids, ")
        .append(summary.get("users"))
        .append(" users, ")
        .append(summary.get("trainingJobs"))
        .append(" training jobs; mechanism ")
        .append(esc(Json.write(summary.get("mechanism"))))
        .append("; forecast ")
        .append(summary.get("forecast"))
        .append("; carbon price ")
        .append(fmt((Long) summary.get("carbonPriceMicrosPerKg") / 1000.0, 0))
        .append(" credits/t CO2.</p>");

    Map<String, Object> strategies = (Map<String, Object>) summary.get("strategies");
    h.append(
            "<h2>Strategies side by side</h2><table><tr><th>strategy</th><th>g CO2 / unit</th><th>vs carbon-blind</th>")
        .append(
            "<th>cost / unit</th><th>vs carbon-blind</th><th>green share</th><th>curtailed kWh</th>")
        .append(
            "<th>deadline misses</th><th>provider profit</th><th>microgrid revenue</th><th>platform fee</th>")
        .append(
            "<th>shifted units</th><th>moved units</th><th>rounds</th><th>run time s</th></tr>");
    for (Map.Entry<String, Object> e : strategies.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      h.append("<tr><td>")
          .append(e.getKey())
          .append("</td><td>")
          .append(fmt(l(m, "mgCo2PerUnit") / 1000.0, 1))
          .append("</td><td>")
          .append(pct(m.get("carbonReductionBps"), -1))
          .append("</td><td>")
          .append(fmt(l(m, "costMicrosPerUnit") / 1e6, 4))
          .append("</td><td>")
          .append(pct(m.get("costChangeBps"), 1))
          .append("</td><td>")
          .append(fmt(l(m, "greenShareBps") / 100.0, 1))
          .append(" %</td><td>")
          .append(fmt(l(m, "curtailedWh") / 1000.0, 0))
          .append("</td><td>")
          .append(l(m, "deadlineMisses"))
          .append(" / ")
          .append(l(m, "jobs"))
          .append("</td><td>")
          .append(fmt(l(m, "providerProfitMicros") / 1e6, 0))
          .append("</td><td>")
          .append(fmt(l(m, "microgridRevenueMicros") / 1e6, 0))
          .append("</td><td>")
          .append(fmt(l(m, "platformFeeMicros") / 1e6, 2))
          .append("</td><td>")
          .append(fmt(l(m, "shiftedMilliUnits") / 1000.0, 0))
          .append("</td><td>")
          .append(fmt(l(m, "movedMilliUnits") / 1000.0, 0))
          .append("</td><td>")
          .append(l(m, "rounds"))
          .append("</td><td>")
          .append(fmt(l(m, "elapsedMillis") / 1000.0, 1))
          .append("</td></tr>");
    }
    h.append(
            "</table><p>Costs and revenues in credits (1 credit = 1 EUR); units are compute units (server-hours).")
        .append(
            " Carbon and cost per unit count every compute unit the market settled (training and inference),")
        .append(" cost includes the network cost of moved work.</p>");
    if (summary.get("targets") instanceof Map<?, ?> t) {
      h.append("<h2>Targets (online time-and-location vs carbon-blind)</h2><ul>")
          .append(
              target(
                  "carbon per unit at least 30 % lower",
                  pct(t.get("carbonReductionBps"), 1), t.get("carbonReductionMet")))
          .append(
              target(
                  "cost per unit at most 5 % higher",
                  pct(t.get("costIncreaseBps"), 1), t.get("costIncreaseMet")))
          .append(
              target(
                  "no missed deadlines",
                  String.valueOf(t.get("deadlineMisses")),
                  t.get("deadlineMissesMet")));
      if (t.containsKey("onlineReachBps")) {
        h.append(
            target(
                "online reaches 90 % of the optimum's carbon reduction (optimum: "
                    + pct(t.get("optimumCarbonReductionBps"), 1)
                    + ")",
                pct(t.get("onlineReachBps"), 1),
                t.get("onlineReachMet")));
      }
      h.append("</ul>");
    }

    h.append("<h2>Carbon and cost per compute unit</h2><div class=\"grid\">");
    List<String> names = new ArrayList<>(strategies.keySet());
    double[] carbon = new double[names.size()];
    double[] cost = new double[names.size()];
    double[] shifted = new double[names.size()];
    double[] moved = new double[names.size()];
    for (int i = 0; i < names.size(); i++) {
      Map<String, Object> m = (Map<String, Object>) strategies.get(names.get(i));
      carbon[i] = l(m, "mgCo2PerUnit") / 1000.0;
      cost[i] = l(m, "costMicrosPerUnit") / 1e6;
      shifted[i] = l(m, "shiftedMilliUnits") / 1000.0;
      moved[i] = l(m, "movedMilliUnits") / 1000.0;
    }
    h.append(bars("g CO2 per compute unit", names, carbon, 1))
        .append(bars("cost per compute unit (credits)", names, cost, 3))
        .append(bars("units shifted in time", names, shifted, 0))
        .append(bars("units moved to another zone", names, moved, 0))
        .append("</div>");

    int zones = world.scenario.zones().size();
    List<String> zoneNames = world.scenario.zones().stream().map(Scenario.Zone::name).toList();
    h.append("<h2>Energy mix per zone</h2><div class=\"grid\">");
    for (Simulator.Result r : results) {
      double[] green = new double[zones];
      double[] other = new double[zones];
      for (Simulator.SlotRow x : r.rows()) {
        green[x.zone()] += x.greenWh() / 1e6;
        other[x.zone()] += (x.energyWh() - x.greenWh()) / 1e6;
      }
      h.append(stacked(r.strategy().label() + ": MWh green / other", zoneNames, green, other));
    }
    h.append("</div>");

    h.append("<h2>Carbon per compute unit over time (daily, g)</h2>");
    List<String> labels = new ArrayList<>();
    List<double[]> lines = new ArrayList<>();
    int days = (int) (long) (Long) summary.get("days");
    for (Simulator.Result r : results) {
      double[] c = new double[days];
      double[] u = new double[days];
      for (Simulator.SlotRow x : r.rows()) {
        int d = (x.index() - world.firstIndex) / 24;
        c[d] += x.carbonMg();
        u[d] += x.computeMilliUnits();
      }
      for (int d = 0; d < days; d++) {
        c[d] = u[d] == 0 ? 0 : c[d] / u[d];
      }
      labels.add(r.strategy().label());
      lines.add(c);
    }
    h.append(lines("day", labels, lines, 1000, 260));

    Simulator.Result first = results.get(0);
    h.append("<h2>Energy clearing price per zone (")
        .append(first.strategy().label())
        .append(", credits per MWh)</h2>");
    h.append(zoneLines(first, zones, zoneNames, world, true));
    h.append("<h2>Grid carbon intensity per zone (g per kWh)</h2>");
    h.append(zoneLines(first, zones, zoneNames, world, false));

    if (summary.get("frontier") instanceof List<?> f && !f.isEmpty()) {
      h.append(
          "<h2>Carbon price sweep: cost/carbon frontier of the deferrable work (perfect-foresight plans)</h2>");
      h.append(frontier((List<Object>) f));
    }
    h.append("<h2>Forecast error (day-ahead, ")
        .append(summary.get("forecast"))
        .append(")</h2><table><tr><th>zone</th>")
        .append(
            "<th>price MAE (credits/MWh)</th><th>price relative</th><th>carbon MAE (g/kWh)</th><th>carbon relative</th></tr>");
    for (Map.Entry<String, Object> e :
        ((Map<String, Object>) summary.get("forecastError")).entrySet()) {
      Map<String, Object> z = (Map<String, Object>) e.getValue();
      Map<String, Object> p = (Map<String, Object>) z.get("priceMicrosPerKwh");
      Map<String, Object> c = (Map<String, Object>) z.get("carbonMgPerKwh");
      h.append("<tr><td>")
          .append(esc(e.getKey()))
          .append("</td><td>")
          .append(fmt(l(p, "meanAbsoluteError") / 1000.0, 1))
          .append("</td><td>")
          .append(pct(p.get("relativeErrorBps"), 1))
          .append("</td><td>")
          .append(fmt(l(c, "meanAbsoluteError") / 1000.0, 1))
          .append("</td><td>")
          .append(pct(c.get("relativeErrorBps"), 1))
          .append("</td></tr>");
    }
    h.append("</table>");
    if (summary.get("settlement") instanceof Map<?, ?> st) {
      h.append(
              "<h2>Settlement on the embedded ledger</h2><table><tr><th>strategy</th><th>credits conserved</th>")
          .append("<th>audit verify</th><th>ledger height</th><th>trades on ledger</th></tr>");
      for (Map.Entry<?, ?> e : st.entrySet()) {
        Map<String, Object> x = (Map<String, Object>) e.getValue();
        h.append("<tr><td>")
            .append(e.getKey())
            .append("</td><td>")
            .append(x.get("conserved"))
            .append("</td><td>")
            .append(x.get("auditVerified"))
            .append("</td><td>")
            .append(x.get("ledgerHeight"))
            .append("</td><td>")
            .append(x.get("auditTrades"))
            .append("</td></tr>");
      }
      h.append("</table>");
    }
    h.append("<p style=\"font-size:12px;color:#666\">Data: ")
        .append(esc((String) summary.get("data")))
        .append(
            ". Source: U.S. Energy Information Administration, Form EIA-930 (via HewlettPackard/dc-rl);")
        .append(" Source: Energinet (www.energidataservice.dk), trimmed and reformatted;")
        .append(
            " Google cluster-usage trace clusterdata-2011-2, CC BY 4.0 (via HewlettPackard/dc-rl);")
        .append(" oemof-solph tutorial data (MIT); PV from PVGIS (EC JRC).</p></body></html>\n");
    return h.toString();
  }

  private static String zoneLines(
      Simulator.Result r, int zones, List<String> zoneNames, World world, boolean price) {
    int n = world.endIndex - world.firstIndex;
    List<double[]> ys = new ArrayList<>();
    for (int z = 0; z < zones; z++) {
      ys.add(new double[n]);
    }
    for (Simulator.SlotRow x : r.rows()) {
      ys.get(x.zone())[x.index() - world.firstIndex] =
          price ? x.energyPriceMicros() / 1000.0 : x.gridCarbonMgPerKwh() / 1000.0;
    }
    return lines("hour", zoneNames, ys, 1000, 260);
  }

  private static String target(String what, String value, Object met) {
    boolean ok = Boolean.TRUE.equals(met);
    return "<li>"
        + esc(what)
        + ": <span class=\""
        + (ok ? "ok" : "no")
        + "\">"
        + esc(value)
        + (ok ? " (met)" : " (not met)")
        + "</span></li>";
  }

  private static String bars(String title, List<String> names, double[] v, int decimals) {
    int w = 460;
    int rowH = 26;
    int hgt = 30 + rowH * names.size();
    double max = 1e-9;
    for (double x : v) {
      max = Math.max(max, Math.abs(x));
    }
    StringBuilder s = new StringBuilder();
    s.append(svgOpen(w, hgt)).append(text(8, 18, title, "bold"));
    for (int i = 0; i < names.size(); i++) {
      int y = 28 + i * rowH;
      double len = Math.abs(v[i]) / max * (w - 230);
      s.append(text(8, y + 15, names.get(i), ""))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"120\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
                  y + 2,
                  len,
                  COLOURS[i % COLOURS.length]))
          .append(text((int) (126 + len), y + 15, fmt(v[i], decimals), ""));
    }
    return s.append("</svg>").toString();
  }

  private static String stacked(String title, List<String> names, double[] a, double[] b) {
    int w = 380;
    int rowH = 26;
    int hgt = 30 + rowH * names.size();
    double max = 1e-9;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, a[i] + b[i]);
    }
    StringBuilder s = new StringBuilder(svgOpen(w, hgt)).append(text(8, 18, title, "bold"));
    for (int i = 0; i < names.size(); i++) {
      int y = 28 + i * rowH;
      double la = a[i] / max * (w - 170);
      double lb = b[i] / max * (w - 170);
      s.append(text(8, y + 15, names.get(i), ""))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"70\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#1b9e77\"/><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                      + " height=\"18\" fill=\"#999\"/>",
                  y + 2,
                  la,
                  70 + la,
                  y + 2,
                  lb))
          .append(text((int) (76 + la + lb), y + 15, fmt(a[i], 1) + " / " + fmt(b[i], 1), ""));
    }
    return s.append("</svg>").toString();
  }

  private static String lines(
      String xName, List<String> labels, List<double[]> ys, int w, int hgt) {
    double max = 1e-9;
    double min = 0;
    int n = 0;
    for (double[] y : ys) {
      n = Math.max(n, y.length);
      for (double v : y) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    int left = 60;
    int right = w - 150;
    int top = 14;
    int bottom = hgt - 30;
    StringBuilder s = new StringBuilder(svgOpen(w, hgt));
    s.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                left,
                bottom,
                right,
                bottom))
        .append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                left,
                top,
                left,
                bottom));
    s.append(text(4, top + 10, fmt(max, 0), ""))
        .append(text(4, bottom, fmt(min, 0), ""))
        .append(text(right - 40, hgt - 8, xName + " " + n, ""));
    for (int k = 0; k < ys.size(); k++) {
      double[] y = ys.get(k);
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < y.length; i++) {
        double x = left + (n <= 1 ? 0 : (double) i / (n - 1) * (right - left));
        double yy = bottom - (y[i] - min) / (max - min) * (bottom - top);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yy));
      }
      String c = COLOURS[k % COLOURS.length];
      s.append("<polyline fill=\"none\" stroke=\"")
          .append(c)
          .append("\" stroke-width=\"1.5\" points=\"")
          .append(pts)
          .append("\"/>")
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
                  right + 12,
                  top + k * 18,
                  c))
          .append(text(right + 30, top + 11 + k * 18, labels.get(k), ""));
    }
    return s.append("</svg>").toString();
  }

  @SuppressWarnings("unchecked")
  private static String frontier(List<Object> points) {
    int w = 640;
    int hgt = 320;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Object o : points) {
      Map<String, Object> p = (Map<String, Object>) o;
      double x = l(p, "costMicrosPerUnit") / 1e6;
      double y = l(p, "mgCo2PerUnit") / 1000.0;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    double dx = Math.max(1e-9, maxX - minX);
    double dy = Math.max(1e-9, maxY - minY);
    int left = 70;
    int right = w - 20;
    int top = 20;
    int bottom = hgt - 40;
    StringBuilder s = new StringBuilder(svgOpen(w, hgt));
    s.append(
            text(
                left,
                hgt - 10,
                "cost per unit (credits) " + fmt(minX, 3) + " … " + fmt(maxX, 3),
                ""))
        .append(text(4, top + 4, fmt(maxY, 0) + " g", ""))
        .append(text(4, bottom, fmt(minY, 0) + " g", ""));
    StringBuilder path = new StringBuilder();
    for (Object o : points) {
      Map<String, Object> p = (Map<String, Object>) o;
      double x = left + (l(p, "costMicrosPerUnit") / 1e6 - minX) / dx * (right - left);
      double y = bottom - (l(p, "mgCo2PerUnit") / 1000.0 - minY) / dy * (bottom - top);
      boolean blind = "carbon-blind".equals(p.get("plan"));
      if (!blind) {
        path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      s.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>",
                  x,
                  y,
                  blind ? "#d95f02" : "#1b9e77"))
          .append(
              text(
                  (int) x + 7,
                  (int) y - 6,
                  blind ? "carbon-blind" : fmt(l(p, "carbonPriceMicrosPerKg") / 1000.0, 0) + "/t",
                  ""));
    }
    s.append("<polyline fill=\"none\" stroke=\"#1b9e77\" points=\"").append(path).append("\"/>");
    return s.append("</svg>").toString();
  }

  private static String svgOpen(int w, int h) {
    return String.format(
        Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "viewBox=\"0 0 %d %d\" font-size=\"12\">",
        w,
        h,
        w,
        h);
  }

  private static String text(int x, int y, String t, String weight) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\"%s>%s</text>",
        x,
        y,
        weight.isEmpty() ? "" : " font-weight=\"" + weight + "\"",
        esc(t));
  }

  private static long l(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Long x ? x : 0;
  }

  private static String pct(Object bps, int sign) {
    if (!(bps instanceof Long b)) {
      return "";
    }
    return fmt(sign * b / 100.0, 1) + " %";
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
