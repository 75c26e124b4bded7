package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
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

    private X509Certificate certificateFor127001() throws Exception {
        return TestCertificates.issue(dir, "server", "CN=server", "SAN=ip:127.0.0.1");
    }

    /** Runs {@code step} with the calling thread naming {@code host}, as the channel does around each read and write. */
    private static void naming(final String host, final Executable step) throws Throwable {
        final String previous = ServerIdentityTrustManager.expecting(host);
        try {
            step.execute();
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    @Test
    void shouldAcceptATrustedCertificateNamingTheHostTheThreadExpects() throws Throwable {
        final X509Certificate server = certificateFor127001();
        final ServerIdentityTrustManager trust = managerTrusting(server);
        naming("127.0.0.1", () -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET));
    }

    @Test
    void shouldRefuseTheSameCertificateOnAThreadThatNamedNoTarget() throws Throwable {
        final X509Certificate server = certificateFor127001();
        final ServerIdentityTrustManager trust = managerTrusting(server);
        naming("127.0.0.1", () -> {
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
        });
    }

    @Test
    void shouldRefuseACertificateNamingAnotherHost() throws Throwable {
        final X509Certificate elsewhere = TestCertificates.issue(dir, "elsewhere", "CN=127.0.0.1", "SAN=ip:127.0.0.2");
        final ServerIdentityTrustManager trust = managerTrusting(elsewhere);
        naming("127.0.0.1", () -> assertThrows(ServerIdentityTrustManager.RefusedPeerCertificate.class,
            () -> trust.checkServerTrusted(new X509Certificate[] {elsewhere}, AUTH_TYPE, NO_SOCKET)));
    }

    @Test
    void shouldGiveAReadItsTargetBackAfterAWriteInsideIt() throws Throwable {
        final X509Certificate server = certificateFor127001();
        final ServerIdentityTrustManager trust = managerTrusting(server);
        naming("127.0.0.1", () -> {
            naming("127.0.0.1", () -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET));
            assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET),
                "the read still names its target after the write ended");
        });
        assertThrows(ServerIdentityTrustManager.RefusedPeerCertificate.class,
            () -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE, NO_SOCKET),
            "once the read ended the thread names no target");
    }
}
