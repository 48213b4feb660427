package org.cnemarket.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
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

  @Test
  void theWebLayerCallsUseCasesNotTheStoresOrTheLedger() {
    // Handlers and the gate reach the market's data through its use cases and query classes
    // (market.*Queries, notify.WebhookRegistry): values the stores and the ledger port define
    // (records, enums) may cross, the stores and the port themselves may not. Surfaces, the web
    // layer's wiring, is the one
    // class that opens the surfaces' tables and hands the market's port to the use cases.
    noClasses()
        .that()
        .resideInAPackage("org.cnemarket.engine.web..")
        .and()
        .haveNameNotMatching("org\\.cnemarket\\.engine\\.web\\.Surfaces(\\$.*)?")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("org.cnemarket.engine.store..", "org.cnemarket.engine.ledger..")
                .or(name("org.cnemarket.engine.notify.WebhookStore"))
                .and(not(assignableTo(Record.class)))
                .and(not(assignableTo(Enum.class)))
                .as("a store or the ledger port (not one of their records or enums)"))
        .check(engine);
  }
}
