package io.voxgate.sip.signaling;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust decision of the gateway's outgoing SIP over TLS, taken inside the handshake: the server's chain must lead
 * to a trusted CA (the JDK's trust store or {@code --sip-tls-ca}, through the PKIX manager it wraps) and its
 * subjectAltNames must name the host the gateway set out to reach (RFC 5922 §7.1, {@link TlsHostNamePolicy#names}).
 * A refusal is a {@link RefusedPeerCertificate}: the handshake fails before any request is encrypted.
 *
 * <p>Why here and not in jain-sip's after-handshake hook ({@code TLS_SECURITY_POLICY}): jain-sip creates its
 * {@code SSLEngine}s without the peer's host, so the JDK cannot check the name itself; and the hook is given no
 * certificate unless callers are asked for theirs ({@code TLS_CLIENT_AUTH_TYPE} other than {@code Disabled}), and is
 * not called at all when the client's handshake ends on a write (TLS 1.3, where the client sends the last Finished).
 * So the connection the gateway opened ({@link OutgoingTlsMessageChannel}) names its target for the duration of each
 * read it feeds to its engine and each write it asks of it ({@link #expecting}), and the JDK calls this manager within
 * one of them.
 *
 * <p>Threading: JSSE calls it on the thread that runs the engine's delegated task, which is whichever thread drives
 * the engine when the server's certificate is due: jain-sip's selector thread in a read, or a sending thread in a
 * write (jain-sip runs delegated tasks on both); the target is that thread's own. Without a target (a handshake
 * outside a connection the gateway opened) a server certificate is refused. The two-argument
 * {@link #checkServerTrusted(X509Certificate[], String)}, which JSSE never calls on an
 * {@code X509ExtendedTrustManager}, checks the chain only: it has no connection, hence no host.
 */
final class ServerIdentityTrustManager extends X509ExtendedTrustManager {
    private static final ThreadLocal<String> TARGET_HOST = new ThreadLocal<>();

    private final X509ExtendedTrustManager pkix;

    ServerIdentityTrustManager(final X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    /**
     * Names the host the calling thread's handshake must reach, until {@link #restore}.
     *
     * @return the target the thread had before (null for none), for {@link #restore}: a write can run inside a read
     */
    static String expecting(final String host) {
        final String previous = TARGET_HOST.get();
        TARGET_HOST.set(host);
        return previous;
    }

    /** Gives the calling thread back the target {@link #expecting} returned. */
    static void restore(final String previous) {
        if (previous == null) {
            TARGET_HOST.remove();
        } else {
            TARGET_HOST.set(previous);
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException {
        final String host = TARGET_HOST.get();
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (final CertificateException ex) {
            throw new RefusedPeerCertificate("its certificate was issued by no trusted CA (" + ex.getMessage() + ")", ex);
        }
        checkName(chain, host);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException {
        final String host = TARGET_HOST.get();
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (final CertificateException ex) {
            throw new RefusedPeerCertificate("its certificate was issued by no trusted CA (" + ex.getMessage() + ")", ex);
        }
        checkName(chain, host);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
    }

    private static void checkName(final X509Certificate[] chain, final String host) throws RefusedPeerCertificate {
        if (host == null) {
            throw new RefusedPeerCertificate("the handshake is not one of a connection the gateway opened");
        }
        if (!TlsHostNamePolicy.names(chain[0], host)) {
            throw new RefusedPeerCertificate("its certificate does not name " + host + " in a subjectAltName");
        }
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /** A server certificate the gateway refused: untrusted, or not naming the host it connected to. */
    static final class RefusedPeerCertificate extends CertificateException {
        private static final long serialVersionUID = 1L;

        RefusedPeerCertificate(final String message) {
            super(message);
        }

        RefusedPeerCertificate(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
