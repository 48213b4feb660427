package org.cnemarket.engine.cli;

import org.cnemarket.engine.round.ComputeMechanisms;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.round.energy.EnergyMechanisms;
import picocli.CommandLine.Option;

/**
 * The market's mechanisms, as serve and demo take them. Without any of them the engine keeps the
 * parameters its data directory recorded last (set with PUT /v1/market/parameters); with one, they
 * replace those from the next round, and the ones not given take their defaults.
 */
final class MechanismOptions {
  @Option(
      names = "--energy-mechanism",
      completionCandidates = EnergyMechanisms.Names.class,
      description =
          "how energy clears: ${COMPLETION-CANDIDATES} (default: uniform; without any mechanism"
              + " option the parameters last set apply)")
  String energyMechanism;

  @Option(
      names = "--k-permille",
      description = "k of the k-double auction, in 1/1000 (default 500)")
  Long kPermille;

  @Option(
      names = "--compute-mechanism",
      completionCandidates = ComputeMechanisms.Names.class,
      description = "how compute clears: ${COMPLETION-CANDIDATES} (default: stackelberg)")
  String computeMechanism;

  /** The parameters the options give, or null when none is given: the recorded ones apply. */
  RoundParameters parameters() {
    if (energyMechanism == null && kPermille == null && computeMechanism == null) {
      return null;
    }
    RoundParameters d = RoundParameters.DEFAULT;
    return new RoundParameters(
        energyMechanism != null ? energyMechanism : d.energyMechanism(),
        kPermille != null ? kPermille : d.kPermille(),
        computeMechanism != null ? computeMechanism : d.computeMechanism());
  }
}
