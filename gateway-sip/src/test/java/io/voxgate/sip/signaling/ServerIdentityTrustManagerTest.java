package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server check of the gateway's outgoing TLS: the chain and the host the calling thread names. jain-sip runs the
 * engine's delegated task (where JSSE calls this manager) on its selector thread in a read or on a sending thread in
 * a write, so every thread that drives the engine must name the target, and a write inside a read must leave the
 * read's target in place.
 */
class ServerIdentityTrustManagerTest {
    private static final String AUTH_TYPE = "ECDHE_ECDSA";
    /** JSSE's own check wants a live handshake for an engine or a connected socket; without either it checks the chain. */
    private static final Socket NO_SOCKET = null;

    @TempDir
    Path dir;

    private ServerIdentityTrustManager managerTrusting(final X509Certificate ca) throws Exception {
        return new ServerIdentityTrustManager(
            (X509ExtendedTrustManager) TlsManagers.trustManagers(TestCertificates.pem(dir, "ca", ca).toString())[0]);
    }

    @Test
    void shouldAcceptATrustedCertificateNamingTheHostTheThreadExpects() throws Exception {
        final X509Certificate server = TestCertificates.issue(dir, "server", "CN=server", "SAN=ip:127.0.0.1");
        final ServerIdentityTrustManager trust = managerTrusting(server);
        final String previous = ServerIdentityTrustManager.expecting("127.0.0.1");
        try {
            assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET));
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    @Test
    void shouldRefuseTheSameCertificateOnAThreadThatNamedNoTarget() throws Exception {
        final X509Certificate server = TestCertificates.issue(dir, "server", "CN=server", "SAN=ip:127.0.0.1");
        final ServerIdentityTrustManager trust = managerTrusting(server);
        final String previous = ServerIdentityTrustManager.expecting("127.0.0.1");
        try {
            final Throwable onAnotherThread = CompletableFuture.supplyAsync(() -> {
                try {
                    trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET);
                    return null;
                } catch (final Exception ex) {
                    return ex;
                }
            }).get();
            assertTrue(onAnotherThread instanceof ServerIdentityTrustManager.RefusedPeerCertificate,
                "a thread that named no target refuses: " + onAnotherThread);
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    @Test
    void shouldRefuseACertificateNamingAnotherHost() throws Exception {
        final X509Certificate elsewhere = TestCertificates.issue(dir, "elsewhere", "CN=127.0.0.1", "SAN=ip:127.0.0.2");
        final ServerIdentityTrustManager trust = managerTrusting(elsewhere);
        final String previous = ServerIdentityTrustManager.expecting("127.0.0.1");
        try {
            assertThrows(ServerIdentityTrustManager.RefusedPeerCertificate.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {elsewhere}, AUTH_TYPE, NO_SOCKET));
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    @Test
    void shouldGiveAReadItsTargetBackAfterAWriteInsideIt() throws Exception {
        final X509Certificate server = TestCertificates.issue(dir, "server", "CN=server", "SAN=ip:127.0.0.1");
        final ServerIdentityTrustManager trust = managerTrusting(server);
        final String beforeRead = ServerIdentityTrustManager.expecting("127.0.0.1");
        try {
            final String beforeWrite = ServerIdentityTrustManager.expecting("127.0.0.1");
            assertEquals("127.0.0.1", beforeWrite);
            ServerIdentityTrustManager.restore(beforeWrite);
            assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET),
                "the read still names its target after the write ended");
        } finally {
            ServerIdentityTrustManager.restore(beforeRead);
        }
        assertThrows(ServerIdentityTrustManager.RefusedPeerCertificate.class,
            () -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET),
            "once the read ended the thread names no target");
    }
}
