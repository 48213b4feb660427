package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cnemarket.core.model.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated from openapi.yaml: every operation × every caller (no token, an expired token, each
 * role, and another participant of the owner's role). Each answer must be the one the contract
 * documents for that caller (401 without a valid token, 403 for a role outside {@code x-cne-roles}
 * or a caller that is not the {@code x-cne-owner}), and a refused call must change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
  @TempDir static Path dir;

  ContractFixture f;

  @BeforeAll
  void start() throws Exception {
    f = new ContractFixture(dir);
  }

  @AfterAll
  void stop() {
    f.close();
  }

  /**
   * The answer the contract documents for this caller, or null when any documented status will do.
   */
  static Integer expected(ContractFixture.Op op, ContractFixture.Caller c) {
    if (op.open()) {
      return null;
    }
    if (c.role() == null) {
      return 401;
    }
    if (!op.roles().contains(c.role())) {
      return 403;
    }
    boolean readsAll =
        (c.role() == Role.AUDITOR || c.role() == Role.OPERATOR) && op.method().equals("GET");
    if (op.owned() && !readsAll && !ContractFixture.OWNER.address().equals(c.address())) {
      return 403;
    }
    return null;
  }

  @TestFactory
  Stream<DynamicTest> everyOperationTimesEveryCaller() {
    List<ContractFixture.Op> ops = ContractFixture.operations();
    assertThat(ops).hasSizeGreaterThan(35);
    List<DynamicTest> tests = new ArrayList<>();
    for (ContractFixture.Op op : ops) {
      for (int i = 0; i < ContractFixture.CALLER_NAMES.size(); i++) {
        int k = i;
        tests.add(
            DynamicTest.dynamicTest(
                op.id() + " by " + ContractFixture.CALLER_NAMES.get(k),
                () -> {
                  ContractFixture.Caller c = f.callers.get(k);
                  String before = f.settledFingerprint();
                  ContractFixture.Reply r = f.send(op.method(), f.url(op), f.body(op), c.token());
                  Integer want = expected(op, c);
                  String what = op.method() + " " + f.url(op) + " by " + c.name() + ": " + r.body();
                  assertThat(op.documented())
                      .as("documented answers of " + what)
                      .contains(r.status());
                  if (want != null) {
                    assertThat(r.status()).as(what).isEqualTo(want);
                  } else if (!op.open()) {
                    assertThat(r.status()).as(what).isNotEqualTo(401);
                  }
                  assertThat(r.status()).as(what).isLessThan(500);
                  if (r.status() == 401 || r.status() == 403) {
                    assertThat(ContractFixture.problemType(r))
                        .as(what)
                        .endsWith(r.status() == 401 ? "/unauthorized" : "/forbidden");
                    assertThat(f.fingerprint())
                        .as("a refused call changes nothing: " + what)
                        .isEqualTo(before);
                  }
                }));
      }
    }
    return tests.stream();
  }

  /**
   * Authentication comes first: an untrusted caller's body is never parsed, so it learns nothing.
   */
  @TestFactory
  Stream<DynamicTest> anUnauthenticatedBodyIsNeverValidated() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ContractFixture.Op op : ContractFixture.operations()) {
      if (op.open() || op.method().equals("GET")) {
        continue;
      }
      for (String body : List.of("{}", "not json", "{\"slot\":-1}")) {
        tests.add(
            DynamicTest.dynamicTest(
                op.id() + " " + body,
                () -> {
                  String before = f.settledFingerprint();
                  ContractFixture.Reply r = f.send(op.method(), f.url(op), body, null);
                  assertThat(r.status()).as(r.body()).isEqualTo(401);
                  assertThat(f.fingerprint()).isEqualTo(before);
                }));
      }
    }
    return tests.stream();
  }
}
