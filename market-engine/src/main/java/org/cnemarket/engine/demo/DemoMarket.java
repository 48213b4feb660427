package org.cnemarket.engine.demo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;

/**
 * The demo's participants and the orders they place each hour, derived from the real series. Keys
 * are derived from the participants' names, so a second run on the same data directory trades as
 * the same participants (demo keys only: never use derived keys for real money).
 */
public final class DemoMarket {
  /** A demo participant. Provider fields hold its power model; others leave them 0. */
  public record Actor(
      String name,
      Role role,
      Secp256k1.KeyPair key,
      EnergySource source,
      int servers,
      int idleW,
      int peakW,
      int pueBps,
      int traceOffset,
      int greenBps) {}

  /** 2026-07-01T00:00Z in hours since the epoch: the first demo slot. */
  public static final long FIRST_SLOT = 1_782_864_000L / 3600;

  private final DemoSeries data;
  private final List<Actor> actors = new ArrayList<>();
  private final double maxSolar;
  private final double maxPv;
  private final double maxWind;
  private final double maxLoad;

  public DemoMarket(DemoSeries data) {
    this.data = data;
    maxSolar = DemoSeries.max(data.caisoSolarMw);
    maxPv = DemoSeries.max(data.pvYieldPerKwp);
    maxWind = DemoSeries.max(data.ercotWindMw);
    maxLoad = DemoSeries.max(data.householdLoadKw);
    actors.add(actor("solar-ca", Role.MICROGRID, EnergySource.SOLAR, 0, 0, 0, 0, 0, 0));
    actors.add(actor("wind-tx", Role.MICROGRID, EnergySource.WIND, 0, 0, 0, 0, 0, 0));
    actors.add(actor("grid-dk1", Role.MICROGRID, EnergySource.GRID, 0, 0, 0, 0, 0, 0));
    actors.add(actor("dc-east", Role.PROVIDER, EnergySource.NONE, 200, 100, 300, 12_000, 0, 5000));
    actors.add(actor("dc-west", Role.PROVIDER, EnergySource.NONE, 150, 120, 350, 14_000, 96, 2000));
    actors.add(actor("edge-eu", Role.PROVIDER, EnergySource.NONE, 60, 80, 250, 11_000, 200, 0));
    actors.add(actor("render-farm", Role.USER, EnergySource.NONE, 40, 0, 0, 0, 0, 0));
    actors.add(actor("ml-lab", Role.USER, EnergySource.NONE, 60, 0, 0, 0, 0, 0));
    actors.add(actor("web-shop", Role.USER, EnergySource.NONE, 25, 0, 0, 0, 0, 0));
    actors.add(actor("research", Role.USER, EnergySource.NONE, 35, 0, 0, 0, 0, 0));
    // Last, so the traders' order nonces and prices stay what they were: the auditor does not
    // trade.
    actors.add(actor("auditor", Role.AUDITOR, EnergySource.NONE, 0, 0, 0, 0, 0, 0));
  }

  /**
   * The key the demo engine accepts as the operator's at sign-in (the dashboard's operator
   * console).
   */
  public static Secp256k1.KeyPair operatorKey() {
    return derivedKey("operator");
  }

  private static Secp256k1.KeyPair derivedKey(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, Keccak.hash("cne-demo-key:" + name)));
  }

  private static Actor actor(
      String name,
      Role role,
      EnergySource source,
      int servers,
      int idleW,
      int peakW,
      int pueBps,
      int offset,
      int greenBps) {
    Secp256k1.KeyPair key = derivedKey(name);
    return new Actor(name, role, key, source, servers, idleW, peakW, pueBps, offset, greenBps);
  }

  public List<Actor> actors() {
    return List.copyOf(actors);
  }

  /** The grid's day-ahead price in micro-credits per kWh (1 credit = 1 EUR), at least 1000. */
  long gridPriceMicros(int row) {
    return Math.max(1000, Math.round(data.dk1PriceEurPerMwh[row] * 1000));
  }

  /** Every order of {@code slot}, unsigned, in a fixed order. */
  public List<Order> ordersFor(long slot) {
    int row = Math.floorMod(slot - FIRST_SLOT, DemoSeries.HOURS);
    long grid = gridPriceMicros(row);
    List<Order> out = new ArrayList<>();
    int k = 0;
    for (Actor a : actors) {
      long nonceBase = slot * 16;
      switch (a.role()) {
        case MICROGRID -> {
          long wh;
          long price;
          long carbon;
          switch (a.source()) {
            case SOLAR -> {
              wh =
                  Math.round(
                      150_000
                          * (0.5 * data.caisoSolarMw[row] / maxSolar
                              + 0.5 * data.pvYieldPerKwp[row] / maxPv));
              price = Math.max(1000, Math.round(grid * 0.55));
              carbon = 41_000;
            }
            case WIND -> {
              wh = Math.round(120_000 * data.ercotWindMw[row] / maxWind);
              price = Math.max(1000, Math.round(grid * 0.5));
              carbon = 11_000;
            }
            default -> {
              wh = 300_000;
              price = grid + 25_000;
              carbon = Math.round(data.dk1Co2GPerKwh[row] * 1000);
            }
          }
          if (wh > 0) {
            out.add(
                new Order(
                    OrderKind.ENERGY_OFFER,
                    a.key().address(),
                    slot,
                    1,
                    wh,
                    price,
                    a.source(),
                    a.source().green() ? 10_000 : 0,
                    carbon,
                    0,
                    nonceBase + k,
                    0));
          }
        }
        case PROVIDER -> {
          double u = data.cpuUtilisation[(row + a.traceOffset()) % DemoSeries.HOURS];
          double itW = a.servers() * (a.idleW() + (a.peakW() - a.idleW()) * u);
          long wh = Math.round(itW * a.pueBps() / 10_000.0);
          out.add(
              new Order(
                  OrderKind.ENERGY_BID,
                  a.key().address(),
                  slot,
                  1,
                  wh,
                  200_000,
                  EnergySource.NONE,
                  a.greenBps(),
                  0,
                  0,
                  nonceBase + k,
                  0));
          // Spare capacity is sold as compute units (one server-hour each); the offer's price is
          // the
          // provider's non-energy cost per unit, its energy cost comes from the energy it buys.
          long milliUnits = Math.round(a.servers() * (1 - u) * 1000);
          long price = 15_000 + 5_000L * (k % 3);
          if (milliUnits > 0) {
            out.add(
                new Order(
                    OrderKind.COMPUTE_OFFER,
                    a.key().address(),
                    slot,
                    1,
                    milliUnits,
                    price,
                    EnergySource.NONE,
                    0,
                    0,
                    0,
                    nonceBase + k + 8,
                    0));
          }
        }
        case USER -> {
          double shape = 0.5 + data.householdLoadKw[row] / maxLoad;
          long milliUnits = Math.round(a.servers() * shape * 1000 / 4);
          long maxPrice = 300_000 + 100_000L * (k % 4);
          out.add(
              new Order(
                  OrderKind.COMPUTE_DEMAND,
                  a.key().address(),
                  slot,
                  1,
                  milliUnits,
                  maxPrice,
                  EnergySource.NONE,
                  a.greenBps(),
                  0,
                  200,
                  nonceBase + k,
                  0));
        }
        default -> {}
      }
      k++;
    }
    return out;
  }

  /** The provider's power model as the engine's power-model resource takes it. */
  public static Map<String, Object> powerModel(Actor a) {
    return Map.of(
        "idleW",
        (long) a.idleW(),
        "peakW",
        (long) a.peakW(),
        "pueBps",
        (long) a.pueBps(),
        "utilisationBps",
        5_000L);
  }

  /**
   * What the meters report for a trade: energy is delivered in full; the edge provider's compute
   * falls short in every third slot, so its delivery record, and its contract type, differ.
   */
  public long delivered(String seller, long slot, long quantity) {
    Actor a = byAddress(seller);
    return a.name().equals("edge-eu") && Math.floorMod(slot, 3) == 0 ? quantity * 8 / 10 : quantity;
  }

  /** The actor that places orders with this address. */
  public Actor byAddress(String address) {
    return actors.stream().filter(a -> a.key().address().equals(address)).findFirst().orElseThrow();
  }
}
