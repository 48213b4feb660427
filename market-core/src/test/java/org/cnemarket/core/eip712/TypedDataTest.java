package org.cnemarket.core.eip712;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.junit.jupiter.api.Test;

class TypedDataTest {

  /** EIP-712 encodeType of a struct with no referenced structs: Name(type name,...). */
  private static String encodeType(String name, List<Object> fields) {
    StringBuilder b = new StringBuilder(name).append('(');
    for (int i = 0; i < fields.size(); i++) {
      Fields f = Fields.of(fields.get(i), "field");
      b.append(i == 0 ? "" : ",").append(f.string("type")).append(' ').append(f.string("name"));
    }
    return b.append(')').toString();
  }

  @Test
  void theServedDefinitionEncodesToTheTypesTheEngineHashes() {
    Eip712.Domain domain = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
    // Through JSON text, as a client receives it.
    Fields def = Fields.of(Json.parse(Json.write(TypedData.definition(domain))), "typedData");
    Fields types = def.object("types");
    Map<String, String> expected =
        Map.of(
            "EIP712Domain", Eip712.DOMAIN_TYPE,
            "Registration", Eip712.REGISTRATION_TYPE,
            "Order", Eip712.ORDER_TYPE,
            "ContractChoice", Eip712.CONTRACT_CHOICE_TYPE,
            "CertificateTransfer", Eip712.CERTIFICATE_TRANSFER_TYPE,
            "CertificateRetire", Eip712.CERTIFICATE_RETIRE_TYPE);
    assertThat(types.rawMap().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (name, type) -> assertThat(encodeType(name, types.list(name))).isEqualTo(type));
    Fields primary = def.object("primaryTypes");
    assertThat(primary.string("order")).isEqualTo("Order");
    assertThat(primary.string("registration")).isEqualTo("Registration");
    Fields enums = def.object("enums");
    assertThat(enums.object("Order.kind").longValue("COMPUTE_DEMAND")).isEqualTo(3);
    assertThat(enums.object("Order.source").longValue("SOLAR")).isEqualTo(2);
    assertThat(enums.object("Registration.role").longValue("AUDITOR")).isEqualTo(4);
    assertThat(def.object("domain").string("name")).isEqualTo("CNE Market");
    assertThat(def.object("domain").longValue("chainId")).isEqualTo(31337);
  }
}
