package io.voxgate.sip.signaling;

import gov.nist.core.net.SecurityManagerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust material for SIP over TLS, in place of jain-sip's defaults (whose {@code DisabledAll} mode installs a
 * trust-all manager on both sides): the gateway's certificate from the key store it was given, and as trust anchors
 * the JDK's trust store, or only the CA certificates of {@code --sip-tls-ca} (stack property {@link #CA_FILE}). The
 * certificate is served through the stack's {@link ReloadableKeyManager}, so it can be replaced without a restart.
 * Certificates are always checked; on the client side (connections the gateway opens) the server's certificate must
 * also name the host connected to ({@link ServerIdentityTrustManager}, {@link TlsHostNamePolicy}).
 *
 * <p>Created by jain-sip by class name (stack property {@code gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER}) and
 * initialised once with the stack's properties. Immutable after {@link #init}.
 */
public final class TlsManagers implements SecurityManagerProvider {
    /** Stack property naming a PEM file of trusted CA certificates; absent: the JDK's trust store. */
    public static final String CA_FILE = "io.voxgate.sip.TLS_CA_FILE";

    private KeyManager[] keyManagers;
    private TrustManager[] trustManagers;
    private TrustManager[] serverIdentityManagers;

    /** Created by jain-sip. */
    public TlsManagers() {
        // Material is loaded in init.
    }

    @Override
    public void init(final Properties properties) throws GeneralSecurityException, IOException {
        final String keyStorePath = properties.getProperty("javax.net.ssl.keyStore");
        final String password = properties.getProperty("javax.net.ssl.keyStorePassword", "");
        final ReloadableKeyManager reloadable = ReloadableKeyManager.forStack(properties.getProperty("javax.sip.STACK_NAME"));
        if (reloadable != null && keyStorePath != null) {
            reloadable.load(Path.of(keyStorePath), password.toCharArray());
            keyManagers = new KeyManager[] {reloadable};
            trust(properties.getProperty(CA_FILE));
            return;
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (keyStorePath != null) {
            final KeyStore keys = KeyStore.getInstance(properties.getProperty("javax.net.ssl.keyStoreType", "PKCS12"));
            try (InputStream in = Files.newInputStream(Path.of(keyStorePath))) {
                keys.load(in, password.toCharArray());
            }
            kmf.init(keys, password.toCharArray());
        } else {
            kmf.init(null, null);
        }
        keyManagers = kmf.getKeyManagers();
        trust(properties.getProperty(CA_FILE));
    }

    private void trust(final String caFile) throws GeneralSecurityException, IOException {
        trustManagers = trustManagers(caFile);
        for (final TrustManager tm : trustManagers) {
            if (tm instanceof X509ExtendedTrustManager) {
                serverIdentityManagers = new TrustManager[] {new ServerIdentityTrustManager((X509ExtendedTrustManager) tm)};
                return;
            }
        }
        throw new GeneralSecurityException("the JDK yields no X.509 trust manager");
    }

    /** Trust managers over the CA certificates in {@code caFile}, or over the JDK's trust store when it is null. */
    static TrustManager[] trustManagers(final String caFile) throws GeneralSecurityException, IOException {
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile == null) {
            tmf.init((KeyStore) null);
            return tmf.getTrustManagers();
        }
        final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            for (final Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("ca-" + n++, c);
            }
        }
        if (n == 0) {
            throw new GeneralSecurityException("--sip-tls-ca " + caFile + " holds no certificate");
        }
        tmf.init(anchors);
        return tmf.getTrustManagers();
    }

    @Override
    public KeyManager[] getKeyManagers(final boolean client) {
        return keyManagers.clone();
    }

    /** For the gateway's own connections ({@code client}): the chain and the host name; for callers: the chain. */
    @Override
    public TrustManager[] getTrustManagers(final boolean client) {
        return client ? serverIdentityManagers.clone() : trustManagers.clone();
    }
}
