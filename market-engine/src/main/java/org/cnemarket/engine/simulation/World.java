package org.cnemarket.engine.simulation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cnemarket.agents.schedule.Job;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.engine.round.PowerProfile;

/**
 * The participants and jobs a scenario expands to, the same for every strategy. Keys derive from
 * the scenario and participant names (simulation keys only: never for real money).
 */
final class World {
  record Provider(
      String name,
      Secp256k1.KeyPair key,
      int zone,
      long servers,
      PowerProfile power,
      long whPerUnit,
      long otherCostMicrosPerUnit,
      boolean background,
      int traceOffset) {}

  record Microgrid(String name, Secp256k1.KeyPair key, int zone, Scenario.Microgrid spec) {}

  record Grid(String name, Secp256k1.KeyPair key, int zone) {}

  record User(
      String name, Secp256k1.KeyPair key, Scenario.Workload workload, int home, int traceOffset) {}

  /** A training job with its owner; slots are data indices. */
  record TrainingJob(int user, Job job) {}

  final Scenario scenario;
  final SeriesData data;
  final int firstIndex;
  final int endIndex;
  final List<Provider> providers = new ArrayList<>();
  final List<Microgrid> microgrids = new ArrayList<>();
  final List<Grid> grids = new ArrayList<>();
  final List<User> users = new ArrayList<>();
  final List<TrainingJob> jobs = new ArrayList<>();

  /**
   * Per zone and data index: free capacity (units), renewable output (Wh), inference load (milli
   * units).
   */
  final long[][] freeUnits;

  final long[][] renewableWh;
  final long[][] inferenceMilli;
  final long[] zoneWhPerUnit;
  final long[] zoneOtherCost;
  final long[] zoneRenewableCarbon;

  World(Scenario sc, SeriesData data, int days) {
    this.scenario = sc;
    this.data = data;
    this.firstIndex = SeriesData.WARMUP_HOURS;
    this.endIndex = firstIndex + days * 24;
    int z = sc.zones().size();
    for (Scenario.ProviderSpec p : sc.providers()) {
      for (int c = 0; c < p.count(); c++) {
        String name = p.count() == 1 ? p.name() : p.name() + "-" + (c + 1);
        long wh = Math.round(p.power().kwhPerUnit() * 1000);
        providers.add(
            new Provider(
                name,
                key(sc, name),
                sc.zoneIndex(p.zone()),
                p.servers(),
                p.power(),
                Math.max(1, wh),
                p.otherCostMicrosPerUnit(),
                p.backgroundLoad(),
                (c * 37) % 672));
      }
    }
    for (Scenario.Microgrid m : sc.microgrids()) {
      for (int c = 0; c < m.count(); c++) {
        String name = m.count() == 1 ? m.name() : m.name() + "-" + (c + 1);
        microgrids.add(new Microgrid(name, key(sc, name), sc.zoneIndex(m.zone()), m));
      }
    }
    for (int i = 0; i < z; i++) {
      String name = "grid-" + sc.zones().get(i).name();
      grids.add(new Grid(name, key(sc, name), i));
    }
    for (Scenario.Workload w : sc.workloads()) {
      for (int u = 0; u < w.users(); u++) {
        String name = w.users() == 1 ? w.name() : w.name() + "-" + (u + 1);
        users.add(new User(name, key(sc, name), w, sc.zoneIndex(w.home()), (u * 53) % 672));
      }
    }
    // Training jobs: user u of a workload releases one every everyHours, staggered by user.
    for (int ui = 0; ui < users.size(); ui++) {
      User u = users.get(ui);
      Scenario.Workload w = u.workload();
      if (!w.training()) {
        continue;
      }
      int stagger = (int) ((ui * 7L) % Math.max(1, w.everyHours()));
      int n = 0;
      for (int t = firstIndex + stagger; t < endIndex; t += w.everyHours()) {
        int deadline = t + Math.max(1, w.windowHours()) - 1;
        if (deadline >= endIndex) {
          break; // its window would reach past the end of the run
        }
        List<Integer> allowed = w.allowedZones().stream().map(sc::zoneIndex).toList();
        jobs.add(
            new TrainingJob(
                ui,
                new Job(
                    u.name() + "#" + (n++),
                    u.home(),
                    w.units(),
                    w.parallelism(),
                    t,
                    deadline,
                    allowed,
                    w.networkCostMicrosPerUnit(),
                    w.valueMicrosPerUnit())));
      }
    }
    // Released in time order: the simulator walks this list as the clock advances.
    jobs.sort(Comparator.comparingInt((TrainingJob j) -> j.job().earliestSlot()));
    freeUnits = new long[z][SeriesData.HOURS];
    renewableWh = new long[z][SeriesData.HOURS];
    inferenceMilli = new long[z][SeriesData.HOURS];
    zoneWhPerUnit = new long[z];
    zoneOtherCost = new long[z];
    zoneRenewableCarbon = new long[z];
    long[] servers = new long[z];
    for (Provider p : providers) {
      servers[p.zone()] += p.servers();
      zoneWhPerUnit[p.zone()] += p.whPerUnit() * p.servers();
      zoneOtherCost[p.zone()] += p.otherCostMicrosPerUnit() * p.servers();
    }
    for (int i = 0; i < z; i++) {
      zoneWhPerUnit[i] = servers[i] == 0 ? 1 : zoneWhPerUnit[i] / servers[i];
      zoneOtherCost[i] = servers[i] == 0 ? 0 : zoneOtherCost[i] / servers[i];
    }
    long[] renewableCarbonWh = new long[z];
    for (int t = 0; t < SeriesData.HOURS; t++) {
      for (Provider p : providers) {
        freeUnits[p.zone()][t] += free(p, t);
      }
      for (Microgrid m : microgrids) {
        long wh = outputWh(m, t);
        renewableWh[m.zone()][t] += wh;
        zoneRenewableCarbon[m.zone()] += wh * m.spec().carbonMgPerKwh() / 1000;
        renewableCarbonWh[m.zone()] += wh;
      }
      for (User u : users) {
        inferenceMilli[u.home()][t] += inferenceMilli(u, t);
      }
    }
    for (int i = 0; i < z; i++) {
      zoneRenewableCarbon[i] =
          renewableCarbonWh[i] == 0 ? 0 : zoneRenewableCarbon[i] * 1000 / renewableCarbonWh[i];
    }
  }

  static Secp256k1.KeyPair key(Scenario sc, String name) {
    return Secp256k1.KeyPair.fromPrivateKey(
        new BigInteger(1, Keccak.hash("cne-sim-key:" + sc.name() + ":" + name)));
  }

  /** Units a provider can sell in hour t: all servers, or what its own background load leaves. */
  long free(Provider p, int t) {
    if (!p.background()) {
      return p.servers();
    }
    return p.servers() * (10_000 - data.cpuUtilBps(t + p.traceOffset())) / 10_000;
  }

  long outputWh(Microgrid m, int t) {
    return m.spec().peakWh() * data.shapePpm(m.spec().shape())[t] / 1_000_000;
  }

  /**
   * Latency-bound demand of an inference user in hour t: its units shaped by cluster utilisation.
   */
  long inferenceMilli(User u, int t) {
    if (u.workload().training()) {
      return 0;
    }
    return u.workload().units()
        * 1000
        * data.cpuUtilBps(t + u.traceOffset())
        / data.meanCpuUtilBps();
  }

  long gridPrice(int zone, int t) {
    long p = data.priceMicrosPerKwh(scenario.zones().get(zone).series())[t];
    return p * (10_000 + scenario.zones().get(zone).gridMarkupBps()) / 10_000;
  }

  long gridCarbon(int zone, int t) {
    return data.carbonMgPerKwh(scenario.zones().get(zone).series())[t];
  }

  boolean green(EnergySource s) {
    return s.green();
  }
}
