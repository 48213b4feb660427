package org.cnemarket.tests.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Fabric deployment files without a Fabric installation: YAML syntax and the settings the
 * native, Docker-free network depends on; network.sh's checks for missing binaries; and the
 * operator identity's attribute extension, decoded the way the chaincode shim decodes it.
 */
// The (Object) casts pick assertThat(Object) for the generic YAML lookups.
@SuppressWarnings("cast")
class NetworkConfigTest {
  static final Path FABRIC = Path.of("..", "network-config", "fabric").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String file) throws IOException {
    Yaml y = new Yaml(new SafeConstructor(new LoaderOptions()));
    return (Map<String, Object>) y.load(Files.readString(FABRIC.resolve(file)));
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> m, String... path) {
    Object v = m;
    for (String k : path) {
      v = ((Map<String, Object>) v).get(k);
    }
    return (T) v;
  }

  @Test
  void peerConfigRunsChaincodeOnlyAsAService() throws Exception {
    Map<String, Object> core = yaml("core.yaml");
    assertThat((Object) at(core, "vm", "endpoint")).isEqualTo("");
    List<Map<String, Object>> builders = at(core, "chaincode", "externalBuilders");
    assertThat(builders)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.get("name")).isEqualTo("ccaas_builder");
              assertThat(b.get("path")).isEqualTo("__CCAAS_BUILDER__");
            });
    assertThat((Object) at(core, "peer", "tls", "enabled")).isEqualTo(true);
    assertThat((Object) at(core, "peer", "gateway", "enabled")).isEqualTo(true);
    assertThat((Object) at(core, "ledger", "history", "enableHistoryDatabase")).isEqualTo(true);
  }

  @Test
  void ordererHasNoSystemChannelAndChannelParticipation() throws Exception {
    Map<String, Object> o = yaml("orderer.yaml");
    assertThat((Object) at(o, "General", "BootstrapMethod")).isEqualTo("none");
    assertThat((Object) at(o, "General", "ListenAddress")).isEqualTo("127.0.0.1");
    assertThat((Object) at(o, "General", "TLS", "Enabled")).isEqualTo(true);
    assertThat((Object) at(o, "ChannelParticipation", "Enabled")).isEqualTo(true);
    assertThat((Object) at(o, "Admin", "TLS", "ClientAuthRequired")).isEqualTo(true);
  }

  @Test
  void channelProfileHasTheFourOrgsRaftAndV25() throws Exception {
    Map<String, Object> c = yaml("configtx.yaml");
    Map<String, Object> profile = at(c, "Profiles", "CneChannel");
    assertThat((Object) at(profile, "Orderer", "OrdererType")).isEqualTo("etcdraft");
    List<Map<String, Object>> ordererOrgs = at(profile, "Orderer", "Organizations");
    List<Map<String, Object>> appOrgs = at(profile, "Application", "Organizations");
    List<Object> ids = new ArrayList<>();
    ordererOrgs.forEach(org -> ids.add(org.get("ID")));
    appOrgs.forEach(org -> ids.add(org.get("ID")));
    assertThat(ids).containsExactly("OrdererMSP", "PlatformMSP", "GridMSP", "AuditorMSP");
    assertThat((Object) at(profile, "Application", "Capabilities", "V2_5")).isEqualTo(true);
    Map<String, Object> crypto = yaml("crypto-config.yaml");
    assertThat(crypto.toString()).contains("127.0.0.1").contains("localhost");
  }

  @Test
  void dockerComposeUsesFabric2512Images() throws Exception {
    Map<String, Object> compose = yaml("docker-compose.yaml");
    Map<String, Map<String, Object>> services = at(compose, "services");
    assertThat(services).isNotEmpty();
    services.values().stream()
        .map(s -> String.valueOf(s.get("image")))
        .filter(i -> i.startsWith("hyperledger/fabric-"))
        .forEach(i -> assertThat(i).endsWith(":2.5.12"));
  }

  private record Run(int exit, String stderr) {}

  private Run networkSh(Path pathDir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("/bin/bash", FABRIC.resolve("network.sh").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", pathDir + ":/usr/bin:/bin");
    pb.environment().put("CNE_FABRIC_BUILD", tmp.resolve("build").toString());
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), err);
  }

  private Path stubs(String... names) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("stubs-" + names.length));
    for (String n : names) {
      Path f = dir.resolve(n);
      Files.writeString(f, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  @Test
  void upFailsNamingTheFirstMissingBinary() throws Exception {
    Run none = networkSh(stubs(), Map.of(), "up");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.stderr()).contains("'peer' not found on PATH");

    Run some = networkSh(stubs("peer", "orderer", "configtxgen"), Map.of(), "up");
    assertThat(some.exit()).isEqualTo(1);
    assertThat(some.stderr()).contains("'cryptogen' not found on PATH");
    assertThat(Files.exists(tmp.resolve("build"))).isFalse();
  }

  @Test
  void upFailsWithoutTheCcaasBuilder() throws Exception {
    Path all = stubs("peer", "orderer", "configtxgen", "cryptogen", "osnadmin");
    Run noBuilder = networkSh(all, Map.of(), "up");
    assertThat(noBuilder.exit()).isEqualTo(1);
    assertThat(noBuilder.stderr()).contains("CNE_CCAAS_BUILDER is not set");

    Run emptyBuilder = networkSh(all, Map.of("CNE_CCAAS_BUILDER", tmp.toString()), "up");
    assertThat(emptyBuilder.stderr()).contains("has no executable bin/detect");
  }

  @Test
  void usageAndDeployBeforeUp() throws Exception {
    assertThat(networkSh(stubs(), Map.of(), "sideways").exit()).isEqualTo(2);
    Run deploy =
        networkSh(
            stubs("peer", "orderer", "configtxgen", "cryptogen", "osnadmin"), Map.of(), "deploy");
    assertThat(deploy.exit()).isEqualTo(1);
    assertThat(deploy.stderr()).contains("not up");
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  /** The operator certificate carries cne.role=operator where Fabric CA would put it. */
  @Test
  void issuedIdentityCarriesTheRoleAttribute() throws Exception {
    run(tmp, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
    run(
        tmp,
        "openssl",
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "2",
        "-subj",
        "/O=platform.cne.local/CN=ca.platform.cne.local",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-addext",
        "subjectKeyIdentifier=hash");
    run(
        tmp,
        "/bin/bash",
        FABRIC.resolve("scripts/issue-identity.sh").toString(),
        "ca.pem",
        "ca.key",
        "PlatformMSP",
        "engine@platform.cne.local",
        "operator",
        "engine");

    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate ca =
        (X509Certificate) cf.generateCertificate(Files.newInputStream(tmp.resolve("ca.pem")));
    X509Certificate cert =
        (X509Certificate)
            cf.generateCertificate(Files.newInputStream(tmp.resolve("engine/cert.pem")));
    cert.verify(ca.getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName())
        .contains("OU=client")
        .contains("CN=engine@platform.cne.local");

    // getExtensionValue returns the DER OCTET STRING wrapping the extension's raw value; the
    // shim's ClientIdentity unwraps it and parses the JSON inside.
    byte[] ext = cert.getExtensionValue("1.2.3.4.5.6.7.8.1");
    assertThat(ext).isNotNull();
    assertThat(ext[0]).isEqualTo((byte) 0x04);
    var in = new ByteArrayInputStream(ext);
    in.skip(1);
    int len = in.read();
    if ((len & 0x80) != 0) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | in.read();
      }
    }
    String json = new String(in.readNBytes(len), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"attrs\":{\"cne.role\":\"operator\"}}");

    assertThat(tmp.resolve("engine/msp/signcerts/cert.pem")).exists();
    assertThat(tmp.resolve("engine/msp/keystore/key.pem")).exists();
    assertThat(Files.readString(tmp.resolve("engine/key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }
}
