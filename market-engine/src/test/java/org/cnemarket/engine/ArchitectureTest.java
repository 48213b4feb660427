package org.cnemarket.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  @Test
  void packagesImportOnlyWhatTheTableAllows() {
    // The "may import" table of docs/architecture.md, row by row in its order: a row's packages,
    // then the rows it may import (besides its own). The wiring may import everything.
    Map<String, String[]> packagesOf = new LinkedHashMap<>();
    Map<String, List<String>> mayImport = new LinkedHashMap<>();
    packagesOf.put("core", new String[] {"org.cnemarket.core.."});
    packagesOf.put("chaincode", new String[] {"org.cnemarket.chaincode.."});
    packagesOf.put("contracts", new String[] {"org.cnemarket.contracts.."});
    packagesOf.put("agents", new String[] {"org.cnemarket.agents.."});
    row(packagesOf, mayImport, "pricing", List.of("core"), "pricing..");
    row(packagesOf, mayImport, "auction", List.of("pricing"), "auction..");
    row(packagesOf, mayImport, "measurement", List.of("pricing"), "measurement..");
    row(
        packagesOf,
        mayImport,
        "round",
        List.of("auction", "measurement", "pricing", "core"),
        "round..");
    row(packagesOf, mayImport, "ledger", List.of("core"), "ledger");
    row(packagesOf, mayImport, "store", List.of("round", "core"), "store..");
    row(
        packagesOf,
        mayImport,
        "ledger.embedded",
        List.of("ledger", "store", "chaincode", "core"),
        "ledger.embedded..");
    row(
        packagesOf,
        mayImport,
        "ledger.fabric, ledger.evm",
        List.of("ledger", "contracts", "core"),
        "ledger.fabric..",
        "ledger.evm..");
    row(packagesOf, mayImport, "settlement", List.of("store", "ledger", "core"), "settlement..");
    row(packagesOf, mayImport, "audit", List.of("store", "ledger", "round", "core"), "audit..");
    row(
        packagesOf,
        mayImport,
        "market",
        List.of("store", "ledger", "round", "pricing", "settlement", "audit", "core"),
        "market..");
    row(packagesOf, mayImport, "auth", List.of("store", "market", "core"), "auth..");
    row(packagesOf, mayImport, "publicdata", List.of("store", "core"), "publicdata..");
    row(
        packagesOf,
        mayImport,
        "notify",
        List.of("market", "store", "ledger", "publicdata", "core"),
        "notify..");
    row(packagesOf, mayImport, "ops", List.of(), "ops..");
    row(packagesOf, mayImport, "config", List.of("round", "store"), "config..");
    // The web layer: every row above (the other rules narrow what it takes of stores and ledger).
    List<String> above = new ArrayList<>(packagesOf.keySet());
    above.remove("agents");
    row(packagesOf, mayImport, "web", above, "web..");
    row(packagesOf, mayImport, "whatif", List.of("round", "pricing", "auction"), "whatif..");

    List<ArchRule> rules = new ArrayList<>();
    for (var row : mayImport.entrySet()) {
      List<String> allowed = new ArrayList<>(List.of(packagesOf.get(row.getKey())));
      for (String other : row.getValue()) {
        allowed.addAll(List.of(packagesOf.get(other)));
      }
      rules.add(
          classes()
              .that()
              .resideInAnyPackage(packagesOf.get(row.getKey()))
              .should()
              .onlyDependOnClassesThat(
                  resideOutsideOfPackage("org.cnemarket..")
                      .or(resideInAnyPackage(allowed.toArray(String[]::new)))
                      .as("of the rows " + row.getKey() + " may import: " + row.getValue()))
              .as("`" + row.getKey() + "` imports only what its row of the table allows"));
    }
    // Every package has its row; the wiring's may import everything.
    List<String> tabled = new ArrayList<>();
    mayImport.keySet().forEach(r -> tabled.addAll(List.of(packagesOf.get(r))));
    tabled.addAll(
        List.of(
            "org.cnemarket.engine",
            "org.cnemarket.engine.cli..",
            "org.cnemarket.engine.demo..",
            "org.cnemarket.engine.simulation.."));
    rules.add(
        classes()
            .should()
            .resideInAnyPackage(tabled.toArray(String[]::new))
            .as("every package of the engine has its row in the table"));
    CompositeArchRule.of(rules)
        .as("packages import only what the table of docs/architecture.md allows")
        .check(engine);
  }

  private static void row(
      Map<String, String[]> packagesOf,
      Map<String, List<String>> mayImport,
      String name,
      List<String> imports,
      String... packages) {
    String[] full = new String[packages.length];
    for (int i = 0; i < packages.length; i++) {
      full[i] = "org.cnemarket.engine." + packages[i];
    }
    packagesOf.put(name, full);
    mayImport.put(name, imports);
  }
}
