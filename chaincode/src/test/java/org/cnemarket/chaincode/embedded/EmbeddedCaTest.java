package org.cnemarket.chaincode.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.junit.jupiter.api.Test;

class EmbeddedCaTest {
  static ClientIdentity identity(byte[] creator) throws Exception {
    return new ClientIdentity(
        new EmbeddedStub(new InMemoryStateStore(), "ch", "t", List.of(), creator, Instant.EPOCH));
  }

  @Test
  void issuedIdentitiesCarryMspIdAndRoleAttributeAsFabricReadsThem() throws Exception {
    EmbeddedCa ca = EmbeddedCa.create("ca");
    EmbeddedCa.Identity op = ca.issue("OpMSP", "op-1", "operator");
    ClientIdentity ci = identity(op.serializedIdentity());
    assertThat(ci.getMSPID()).isEqualTo("OpMSP");
    assertThat(ci.getAttributeValue("cne.role")).isEqualTo("operator");
    assertThat(ci.getId()).contains("CN=op-1");
    op.certificate().verify(ca.certificate().getPublicKey());
    assertThat(
            identity(ca.issue("P", "p", null).serializedIdentity()).getAttributeValue("cne.role"))
        .isNull();
  }

  @Test
  void serialsCountUpAndPemRoundTrips() throws Exception {
    EmbeddedCa ca = EmbeddedCa.create("ca");
    EmbeddedCa.Identity a = ca.issue("M", "a", "auditor");
    EmbeddedCa.Identity b = ca.issue("M", "b", "auditor");
    assertThat(a.certificate().getSerialNumber().longValue()).isEqualTo(2);
    assertThat(b.certificate().getSerialNumber().longValue()).isEqualTo(3);

    EmbeddedCa loaded =
        EmbeddedCa.fromPem(ca.certificatePem(), ca.privateKeyPem(), ca.nextSerial());
    EmbeddedCa.Identity c = loaded.issue("M", "c", "operator");
    assertThat(c.certificate().getSerialNumber().longValue()).isEqualTo(4);
    c.certificate().verify(ca.certificate().getPublicKey());

    EmbeddedCa.Identity a2 =
        EmbeddedCa.Identity.fromPem("M", a.certificatePem(), a.privateKeyPem());
    assertThat(a2.certificate()).isEqualTo(a.certificate());
    assertThat(((ECPrivateKey) a2.privateKey()).getS())
        .isEqualTo(((ECPrivateKey) a.privateKey()).getS());
    assertThat(a2.serializedIdentity()).isEqualTo(a.serializedIdentity());
  }
}
