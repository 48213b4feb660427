package org.cnemarket.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules docs/architecture.md states, checked on every build. */
class ArchitectureTest {

  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.cnemarket.engine");
  }

  @Test
  void noPackageCycle() {
    slices().matching("org.cnemarket.engine.(**)").should().beFreeOfCycles().check(engine);
  }

  @Test
  void theDomainAndPricingKnowNoWebNoJdbcNoVertx() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.cnemarket.engine.market..",
            "org.cnemarket.engine.round..",
            "org.cnemarket.engine.auction..",
            "org.cnemarket.engine.pricing..",
            "org.cnemarket.engine.measurement..",
            "org.cnemarket.engine.settlement..",
            "org.cnemarket.engine.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.vertx..",
            "io.netty..",
            "java.sql..",
            "javax.sql..",
            "java.net.http..",
            "com.fasterxml.jackson..",
            "org.cnemarket.engine.web..")
        .check(engine);
  }

  @Test
  void thePricingCoreIsPlainJava() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.cnemarket.engine.pricing..",
            "org.cnemarket.engine.auction..",
            "org.cnemarket.engine.round..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.cnemarket.engine.store..",
            "org.cnemarket.engine.ledger..",
            "org.cnemarket.engine.market..",
            "java.io..",
            "java.nio.file..")
        .check(engine);
  }

  @Test
  void adaptersStayAtTheEdge() {
    // The ledger port's adapters are reached through the port; only the wiring picks one.
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.cnemarket.engine.market..",
            "org.cnemarket.engine.settlement..",
            "org.cnemarket.engine.audit..",
            "org.cnemarket.engine.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.cnemarket.engine.ledger.embedded..",
            "org.cnemarket.engine.ledger.evm..",
            "org.cnemarket.engine.ledger.fabric..")
        .check(engine);
  }
}
