package org.cnemarket.engine.cli;

import org.cnemarket.engine.round.ComputeMechanisms;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.round.energy.EnergyMechanisms;
import picocli.CommandLine.Option;

/** The market's mechanisms, as serve and demo take them. */
final class MechanismOptions {
  @Option(
      names = "--energy-mechanism",
      defaultValue = "uniform",
      completionCandidates = EnergyMechanisms.Names.class,
      description = "how energy clears: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  String energyMechanism;

  @Option(
      names = "--k-permille",
      defaultValue = "500",
      description = "k of the k-double auction, in 1/1000")
  long kPermille;

  @Option(
      names = "--compute-mechanism",
      defaultValue = "stackelberg",
      completionCandidates = ComputeMechanisms.Names.class,
      description = "how compute clears: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  String computeMechanism;

  RoundParameters parameters() {
    return new RoundParameters(energyMechanism, kPermille, computeMechanism);
  }
}
