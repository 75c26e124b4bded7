package io.voxgate.sip.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The SIP TLS listener's certificate and key, replaceable while the stack runs: jain-sip builds its SSL contexts once
 * at start, with this manager in them, and every new handshake asks it for the certificate, so {@link #load} makes
 * the next handshake present a new certificate while established connections (calls in progress) keep theirs.
 *
 * <p>Reached by stack name, as {@link SourceGate} is: {@link JainSipStack} registers one before creating its stack and
 * {@link TlsManagers} (created by jain-sip by class name) finds it with {@link #forStack}.
 *
 * <p>Threading: {@link #load} from any thread (start, SIGHUP, the file watch); the JSSE calls from any handshake thread read one
 * volatile delegate.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {
    private static final Map<String, ReloadableKeyManager> BY_STACK = new ConcurrentHashMap<>();

    private volatile X509ExtendedKeyManager delegate;
    private volatile long loads;

    static void register(final String stackName, final ReloadableKeyManager manager) {
        BY_STACK.put(stackName, manager);
    }

    static void unregister(final String stackName) {
        BY_STACK.remove(stackName);
    }

    /** The manager registered for {@code stackName}, or {@code null}. */
    static ReloadableKeyManager forStack(final String stackName) {
        return stackName == null ? null : BY_STACK.get(stackName);
    }

    /**
     * Reads a PKCS#12 key store and makes its key and chain the ones new handshakes present. On any error the
     * previous material stays in place.
     *
     * @throws GeneralSecurityException or IOException when the store cannot be read or holds no usable key
     */
    void load(final Path keyStore, final char[] password) throws GeneralSecurityException, IOException {
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password);
        }
        load(keys, password);
    }

    /**
     * Makes the key and chain in {@code keys} the ones new handshakes present. On any error the previous material
     * stays in place.
     *
     * @throws GeneralSecurityException when the store holds no usable key
     */
    void load(final KeyStore keys, final char[] password) throws GeneralSecurityException {
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        for (final KeyManager km : kmf.getKeyManagers()) {
            if (km instanceof X509ExtendedKeyManager) {
                delegate = (X509ExtendedKeyManager) km;
                loads++;
                return;
            }
        }
        throw new GeneralSecurityException("the key store yields no X.509 key manager");
    }

    /** How many times material was loaded (1 after start, one more per reload). */
    long loads() {
        return loads;
    }

    @Override
    public String[] getClientAliases(final String keyType, final Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(final String[] keyType, final Principal[] issuers, final Socket socket) {
        return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(final String[] keyType, final Principal[] issuers, final SSLEngine engine) {
        return delegate.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(final String keyType, final Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(final String keyType, final Principal[] issuers, final Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(final String keyType, final Principal[] issuers, final SSLEngine engine) {
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(final String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(final String alias) {
        return delegate.getPrivateKey(alias);
    }
}
