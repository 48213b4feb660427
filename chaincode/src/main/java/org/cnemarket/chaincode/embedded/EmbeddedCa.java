package org.cnemarket.chaincode.embedded;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A minimal Fabric-CA stand-in for the embedded ledger: a self-signed EC P-256 CA that issues X.509
 * identities carrying the Fabric CA attribute extension (OID {@value #ATTRIBUTE_OID}, value {@code
 * {"attrs":{"cne.role":"operator"}}}), which Fabric's {@code ClientIdentity} reads.
 *
 * <p>Serial numbers come from a counter (the CA itself is serial 1), so issuing is deterministic
 * apart from key generation and ECDSA signing. A CA loaded from PEM continues from the serial the
 * caller persisted ({@link #nextSerial()}). Thread-safe.
 */
public final class EmbeddedCa {
  /** The Fabric CA attribute extension. */
  public static final String ATTRIBUTE_OID = "1.2.3.4.5.6.7.8.1";

  /** The attribute holding the CNE Market role of a submitting identity. */
  public static final String ROLE_ATTRIBUTE = "cne.role";

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final AtomicLong serial;

  private EmbeddedCa(X509Certificate certificate, PrivateKey privateKey, long nextSerial) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.serial = new AtomicLong(nextSerial);
  }

  /** A new self-signed CA valid for ten years from now. */
  public static EmbeddedCa create(String commonName) {
    return create(commonName, Instant.now(), DEFAULT_VALIDITY);
  }

  /** A new self-signed CA valid from {@code notBefore} for {@code validity}. */
  public static EmbeddedCa create(String commonName, Instant notBefore, Duration validity) {
    KeyPair kp = newKeyPair();
    X500Name name = name(commonName, null);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  BigInteger.ONE,
                  Date.from(notBefore),
                  Date.from(notBefore.plus(validity)),
                  name,
                  kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new EmbeddedCa(sign(b, kp.getPrivate()), kp.getPrivate(), 2);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the embedded CA", e);
    }
  }

  /** Loads a CA saved with {@link #certificatePem()} and {@link #privateKeyPem()}. */
  public static EmbeddedCa fromPem(String certificatePem, String privateKeyPem, long nextSerial) {
    if (nextSerial < 2) {
      throw new IllegalArgumentException("nextSerial must be at least 2 (1 is the CA itself)");
    }
    return new EmbeddedCa(
        readCertificate(certificatePem), readPrivateKey(privateKeyPem), nextSerial);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return pem(certificate);
  }

  public String privateKeyPem() {
    return pem(privateKey);
  }

  /** The serial the next issued certificate gets; persist it with the CA. */
  public long nextSerial() {
    return serial.get();
  }

  /**
   * Issues an identity valid as long as the CA.
   *
   * @param mspId the MSP the identity belongs to (e.g. {@code "CneOperatorMSP"})
   * @param commonName the subject CN
   * @param role the {@code cne.role} attribute ({@code operator}, {@code auditor}), or null for an
   *     identity without the attribute
   */
  public Identity issue(String mspId, String commonName, String role) {
    return issue(
        mspId,
        commonName,
        role,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }

  /** Issues an identity valid in [notBefore, notAfter]. */
  public Identity issue(
      String mspId, String commonName, String role, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(mspId, "mspId");
    Objects.requireNonNull(commonName, "commonName");
    if (role != null && !role.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("role must be a plain word, was '" + role + "'");
    }
    KeyPair kp = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  BigInteger.valueOf(serial.getAndIncrement()),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  name(commonName, mspId),
                  kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(kp.getPublic()));
      if (role != null) {
        // Fabric CA stores the attribute JSON as the raw extension value.
        String attrs = "{\"attrs\":{\"" + ROLE_ATTRIBUTE + "\":\"" + role + "\"}}";
        b.addExtension(
            new ASN1ObjectIdentifier(ATTRIBUTE_OID), false, attrs.getBytes(StandardCharsets.UTF_8));
      }
      return new Identity(mspId, sign(b, privateKey), kp.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue an identity for " + commonName, e);
    }
  }

  /**
   * An MSP identity: certificate and private key.
   *
   * @param mspId the MSP id
   * @param certificate its X.509 certificate
   * @param privateKey its EC private key
   */
  public record Identity(String mspId, X509Certificate certificate, PrivateKey privateKey) {
    /** Loads an identity saved with {@link #certificatePem()} and {@link #privateKeyPem()}. */
    public static Identity fromPem(String mspId, String certificatePem, String privateKeyPem) {
      return new Identity(mspId, readCertificate(certificatePem), readPrivateKey(privateKeyPem));
    }

    public String certificatePem() {
      return pem(certificate);
    }

    public String privateKeyPem() {
      return pem(privateKey);
    }

    public PublicKey publicKey() {
      return certificate.getPublicKey();
    }

    /** The protobuf {@code msp.SerializedIdentity} a Fabric stub reports as the creator. */
    public byte[] serializedIdentity() {
      return SerializedIdentity.newBuilder()
          .setMspid(mspId)
          .setIdBytes(ByteString.copyFrom(certificatePem(), StandardCharsets.UTF_8))
          .build()
          .toByteArray();
    }
  }

  // ---- helpers

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  private static X500Name name(String commonName, String organisation) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    if (organisation != null) {
      nb.addRDN(BCStyle.O, organisation);
    }
    nb.addRDN(BCStyle.CN, commonName);
    return nb.build();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      ContentSigner cs = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer);
      X509CertificateHolder holder = b.build(cs);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      if (o instanceof PrivateKey k) {
        // PKCS#8 ("PRIVATE KEY"), as Fabric's MSP key stores hold them.
        w.writeObject(new JcaPKCS8Generator(k, null));
      } else {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static X509Certificate readCertificate(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) {
        throw new IllegalArgumentException("not a PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the PEM certificate: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getPrivateKey(kp.getPrivateKeyInfo());
      }
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      throw new IllegalArgumentException("not a PEM private key");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the PEM private key: " + e.getMessage(), e);
    }
  }
}
