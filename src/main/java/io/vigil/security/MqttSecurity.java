package io.vigil.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * How a Vigil MQTT client (bridge, simulator, replayer) authenticates to the broker and verifies it:
 * username/password, and TLS for {@code ssl://} URIs with the server checked against a CA file (PEM)
 * and, optionally, a client certificate (PEM certificate chain + unencrypted PKCS#8 PEM key). The one
 * place that puts credentials and the TLS socket factory on Paho's {@link MqttConnectionOptions}.
 * {@link #toString()} never shows the password.
 *
 * @param username   null for none
 * @param password   null for none; kept as bytes (MQTT 5 passwords are binary data)
 * @param caFile     PEM CA certificate(s) trusted for the broker's certificate; null = the JVM's trust store
 * @param clientCert PEM client certificate (chain); null for none
 * @param clientKey  PEM PKCS#8 private key of {@code clientCert}
 */
public record MqttSecurity(String username, byte[] password, Path caFile, Path clientCert, Path clientKey) {

    /** Anonymous, plain TCP (or TLS with the JVM's trust store for {@code ssl://}). */
    public static final MqttSecurity NONE = new MqttSecurity(null, null, null, null, null);

    /** MQTT 5 CONNACK reason codes that mean "these credentials will never work": retrying is pointless. */
    private static final int BAD_USERNAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

    public MqttSecurity {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs both the certificate file and its key file");
        }
    }

    public boolean usesTls() {
        return caFile != null || clientCert != null;
    }

    /**
     * Puts credentials and, for {@code ssl://} brokers, the TLS socket factory on {@code options}.
     *
     * @throws IllegalArgumentException (one line) for TLS files given with a {@code tcp://} URI, or unreadable files
     */
    public MqttConnectionOptions apply(MqttConnectionOptions options, String brokerUri) {
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.clone());
        }
        String scheme = URI.create(brokerUri).getScheme();
        boolean tlsUri = scheme != null && (scheme.equalsIgnoreCase("ssl") || scheme.equalsIgnoreCase("wss"));
        if (usesTls() && !tlsUri) {
            throw new IllegalArgumentException("MQTT TLS files are given but the broker URI " + brokerUri
                    + " is not ssl://host:port; TLS would not be used");
        }
        if (tlsUri) {
            options.setSocketFactory(socketFactory());
            options.setHttpsHostnameVerificationEnabled(true); // the certificate must name the host we dialled
        }
        return options;
    }

    /** Marks a CONNACK refusal or TLS failure as final, so callers stop retrying and say why in one line. */
    public static boolean isPermanent(MqttException e) {
        int code = e.getReasonCode();
        return code == BAD_USERNAME_OR_PASSWORD || code == NOT_AUTHORIZED || tlsFailure(e) != null;
    }

    /** One line saying why a connection failed, in the operator's terms. */
    public static String describe(MqttException e, String brokerUri) {
        int code = e.getReasonCode();
        if (code == BAD_USERNAME_OR_PASSWORD || code == NOT_AUTHORIZED) {
            return "MQTT broker " + brokerUri + " refused the connection: "
                    + (code == NOT_AUTHORIZED ? "not authorized" : "bad username or password")
                    + " (check --mqtt-username and the password from VIGIL_MQTT_PASSWORD or --mqtt-password-file)";
        }
        Throwable tls = tlsFailure(e);
        if (tls != null) {
            return "MQTT broker " + brokerUri + ": TLS handshake failed, the server is not trusted or does not match"
                    + " (check --mqtt-ca and that the certificate names this host): " + rootMessage(tls);
        }
        return "MQTT broker " + brokerUri + ": " + e.getMessage()
                + (e.getCause() != null ? " (" + rootMessage(e.getCause()) + ")" : "");
    }

    private static Throwable tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
                return t;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ");
    }

    private SSLSocketFactory socketFactory() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            KeyManagerFactory keys = null;
            if (clientCert != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(clientCert, clientKey), new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("MQTT TLS setup failed: " + rootMessage(e), e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> cas = certificates(caFile, "--mqtt-ca");
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        return store;
    }

    private static KeyStore keyStore(Path certFile, Path keyFile) throws GeneralSecurityException {
        Certificate[] chain = certificates(certFile, "--mqtt-cert").toArray(Certificate[]::new);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        store.setKeyEntry("client", privateKey(keyFile), new char[0], chain);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file, String option) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + " (" + option + "): expected PEM certificates, found none");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " (" + option + "): cannot read (" + e.getClass().getSimpleName() + ")");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(file + " (" + option + "): expected PEM certificates: " + rootMessage(e));
        }
    }

    /** An unencrypted PKCS#8 PEM key ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} writes). */
    private static PrivateKey privateKey(Path file) throws GeneralSecurityException {
        String pem;
        try {
            pem = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " (--mqtt-key): cannot read (" + e.getClass().getSimpleName() + ")");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " (--mqtt-key): expected an unencrypted PKCS#8 PEM key"
                    + " (-----BEGIN PRIVATE KEY-----; convert with: openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // the PKCS#8 wrapper names the algorithm, but KeyFactory wants it up front
            }
        }
        throw new IllegalArgumentException(file + " (--mqtt-key): not an RSA, EC or Ed25519 key");
    }

    @Override
    public String toString() {
        return "MqttSecurity[username=" + username + ", password=" + (password == null ? "none" : "(hidden)")
                + ", tls=" + (usesTls() ? "ca " + caFile + (clientCert != null ? ", client cert " + clientCert : "")
                : "off") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttSecurity other && java.util.Objects.equals(username, other.username)
                && java.util.Arrays.equals(password, other.password) && java.util.Objects.equals(caFile, other.caFile)
                && java.util.Objects.equals(clientCert, other.clientCert) && java.util.Objects.equals(clientKey, other.clientKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(username, java.util.Arrays.hashCode(password), caFile, clientCert, clientKey);
    }
}
