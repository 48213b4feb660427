package org.cnemarket.core.eip712;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;

/**
 * The complete EIP-712 definition of what participants sign, in the JSON shape of {@code
 * eth_signTypedData_v4} and ethers' {@code signTypedData(domain, types, value)}: the domain, every
 * struct type (derived from the type strings {@link Eip712} hashes, so the two cannot drift), the
 * primary type of each signed request, and the numeric codes of the enum fields.
 */
public final class TypedData {
  private static final Pattern TYPE = Pattern.compile("(\\w+)\\((.*)\\)");

  /** Signed request → its primary type. */
  public static final Map<String, String> PRIMARY_TYPES = primaryTypes();

  private TypedData() {}

  private static Map<String, String> primaryTypes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("registration", "Registration");
    m.put("order", "Order");
    m.put("contractChoice", "ContractChoice");
    m.put("certificateTransfer", "CertificateTransfer");
    m.put("certificateRetire", "CertificateRetire");
    return m;
  }

  /** The definition for {@code domain}: {domain, types, primaryTypes, enums}. */
  public static Map<String, Object> definition(Eip712.Domain domain) {
    Map<String, Object> dom = new LinkedHashMap<>();
    dom.put("name", domain.name());
    dom.put("version", domain.version());
    dom.put("chainId", domain.chainId());
    dom.put("verifyingContract", domain.verifyingContract());
    Map<String, Object> types = new LinkedHashMap<>();
    for (String t :
        List.of(
            Eip712.DOMAIN_TYPE,
            Eip712.REGISTRATION_TYPE,
            Eip712.ORDER_TYPE,
            Eip712.CONTRACT_CHOICE_TYPE,
            Eip712.CERTIFICATE_TRANSFER_TYPE,
            Eip712.CERTIFICATE_RETIRE_TYPE)) {
      Matcher m = TYPE.matcher(t);
      if (!m.matches()) {
        throw new IllegalStateException("not an EIP-712 type string: " + t);
      }
      List<Map<String, Object>> fields = new ArrayList<>();
      for (String member : m.group(2).split(",")) {
        String[] typeAndName = member.trim().split(" ");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", typeAndName[1]);
        f.put("type", typeAndName[0]);
        fields.add(f);
      }
      types.put(m.group(1), fields);
    }
    Map<String, Object> kinds = new LinkedHashMap<>();
    for (OrderKind k : OrderKind.values()) {
      kinds.put(k.name(), (long) k.code());
    }
    Map<String, Object> sources = new LinkedHashMap<>();
    for (EnergySource s : EnergySource.values()) {
      sources.put(s.name(), (long) s.code());
    }
    Map<String, Object> roles = new LinkedHashMap<>();
    for (Role r : Role.values()) {
      roles.put(r.name(), (long) r.code());
    }
    Map<String, Object> markets = new LinkedHashMap<>();
    for (OrderKind.Market mk : OrderKind.Market.values()) {
      markets.put(mk.name(), (long) mk.code());
    }
    Map<String, Object> enums = new LinkedHashMap<>();
    enums.put("Order.kind", kinds);
    enums.put("Order.source", sources);
    enums.put("Registration.role", roles);
    enums.put("Trade.market", markets);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("domain", dom);
    out.put("types", types);
    out.put("primaryTypes", new LinkedHashMap<String, Object>(PRIMARY_TYPES));
    out.put("enums", enums);
    return out;
  }
}
