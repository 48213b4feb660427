package org.cnemarket.engine.simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnemarket.agents.forecast.Forecast;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundParameters;

/**
 * A simulation scenario, read from JSON. Every number is a fixed-point integer in the unit its name
 * says. Zones name the real series they use ({@link SeriesData}); providers, microgrids and
 * workloads are replicated {@code count} times.
 */
public record Scenario(
    String name,
    String description,
    int maxDays,
    RoundParameters parameters,
    long carbonPriceMicrosPerKg,
    List<Long> carbonPriceSweepMicrosPerKg,
    String forecast,
    List<Zone> zones,
    List<Microgrid> microgrids,
    List<ProviderSpec> providers,
    List<Workload> workloads,
    long seed) {

  /** A grid zone: its grid supply comes from the named real series. */
  public record Zone(String name, long id, String series, long gridMarkupBps) {}

  /**
   * Renewable microgrid: {@code peakWh} × the series' normalised shape per hour; optional battery.
   */
  public record Microgrid(
      String name,
      String zone,
      EnergySource source,
      String shape,
      long peakWh,
      long priceMicrosPerKwh,
      long carbonMgPerKwh,
      long batteryWh,
      long batteryMaxWh,
      int batteryEfficiencyBps,
      int count) {}

  /**
   * A provider: servers (one compute unit = one server-hour) with a power model and non-energy
   * cost.
   */
  public record ProviderSpec(
      String name,
      String zone,
      long servers,
      PowerProfile power,
      long otherCostMicrosPerUnit,
      boolean backgroundLoad,
      int count) {}

  /**
   * Work of {@code users} users at their home zone. Training: a job of {@code units} every {@code
   * everyHours}, runnable within {@code windowHours}, at most {@code parallelism} units per hour,
   * on {@code allowedZones}. Inference: {@code units} per hour, latency-bound, shaped by the Google
   * cluster trace.
   */
  public record Workload(
      String name,
      String kind,
      String home,
      int users,
      long units,
      long parallelism,
      int everyHours,
      int windowHours,
      long valueMicrosPerUnit,
      List<String> allowedZones,
      long networkCostMicrosPerUnit,
      long latencyMs) {
    public boolean training() {
      return kind.equals("training");
    }
  }

  public static Scenario load(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  public static Scenario parse(String json) {
    Fields f = Fields.of(Json.parse(json), "scenario");
    RoundParameters params =
        new RoundParameters(
            f.string("energyMechanism", "uniform"),
            f.longValue("kPermille", 500),
            f.string("computeMechanism", "uniform"));
    List<Zone> zones = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : f.list("zones")) {
      Fields z = Fields.of(o, "zone");
      Zone zone =
          new Zone(
              z.string("name"),
              zones.size() + 1,
              z.string("series"),
              z.longValue("gridMarkupBps", 0));
      SeriesData.requireGridSeries(zone.series());
      if (!names.add(zone.name())) {
        throw new IllegalArgumentException("zone " + zone.name() + " is defined twice");
      }
      zones.add(zone);
    }
    List<Microgrid> grids = new ArrayList<>();
    for (Object o : f.has("microgrids") ? f.list("microgrids") : List.of()) {
      Fields m = Fields.of(o, "microgrid");
      EnergySource src = EnergySource.parse(m.string("source"));
      Microgrid mg =
          new Microgrid(
              m.string("name"),
              zoneName(names, m.string("zone")),
              src,
              m.string("shape"),
              positive(m.longValue("peakWh"), "peakWh"),
              positive(m.longValue("priceMicrosPerKwh"), "priceMicrosPerKwh"),
              m.longValue("carbonMgPerKwh"),
              m.longValue("batteryWh", 0),
              m.longValue("batteryMaxWh", 0),
              (int) m.longValue("batteryEfficiencyBps", 9_000),
              (int) m.longValue("count", 1));
      SeriesData.requireShape(mg.shape());
      grids.add(mg);
    }
    List<ProviderSpec> providers = new ArrayList<>();
    for (Object o : f.list("providers")) {
      Fields p = Fields.of(o, "provider");
      providers.add(
          new ProviderSpec(
              p.string("name"),
              zoneName(names, p.string("zone")),
              positive(p.longValue("servers"), "servers"),
              PowerProfile.fromJson(p.object("power")),
              positive(p.longValue("otherCostMicrosPerUnit"), "otherCostMicrosPerUnit"),
              p.has("backgroundLoad") && p.bool("backgroundLoad"),
              (int) p.longValue("count", 1)));
    }
    List<Workload> workloads = new ArrayList<>();
    for (Object o : f.list("workloads")) {
      Fields w = Fields.of(o, "workload");
      String kind = w.string("kind");
      if (!kind.equals("training") && !kind.equals("inference")) {
        throw new IllegalArgumentException(
            "workload kind must be training or inference, not " + kind);
      }
      String home = zoneName(names, w.string("home"));
      List<String> allowed = new ArrayList<>();
      for (Object z : w.has("allowedZones") ? w.list("allowedZones") : List.of(home)) {
        allowed.add(zoneName(names, (String) z));
      }
      if (!allowed.contains(home)) {
        allowed.add(0, home);
      }
      workloads.add(
          new Workload(
              w.string("name"),
              kind,
              home,
              (int) positive(w.longValue("users"), "users"),
              positive(w.longValue("units"), "units"),
              w.longValue("parallelism", w.longValue("units")),
              (int) w.longValue("everyHours", 24),
              (int) w.longValue("windowHours", 0),
              positive(w.longValue("valueMicrosPerUnit"), "valueMicrosPerUnit"),
              allowed,
              w.longValue("networkCostMicrosPerUnit", 0),
              w.longValue("latencyMs", 0)));
    }
    List<Long> sweep = new ArrayList<>();
    for (Object o :
        f.has("carbonPriceSweepMicrosPerKg") ? f.list("carbonPriceSweepMicrosPerKg") : List.of()) {
      sweep.add((Long) o);
    }
    String forecast = f.string("forecast", "seasonal");
    Forecast.of(forecast);
    return new Scenario(
        f.string("name"),
        f.string("description", ""),
        (int) f.longValue("maxDays", 28),
        params,
        f.longValue("carbonPriceMicrosPerKg", 0),
        sweep,
        forecast,
        zones,
        grids,
        providers,
        workloads,
        f.longValue("seed", 1));
  }

  private static String zoneName(Set<String> names, String zone) {
    if (!names.contains(zone)) {
      throw new IllegalArgumentException("unknown zone " + zone + " (zones: " + names + ")");
    }
    return zone;
  }

  private static long positive(long v, String what) {
    if (v <= 0) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return v;
  }

  public Zone zone(String name) {
    return zones.stream().filter(z -> z.name().equals(name)).findFirst().orElseThrow();
  }

  public int zoneIndex(String name) {
    for (int i = 0; i < zones.size(); i++) {
      if (zones.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown zone " + name);
  }
}
