package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Nodes (child processes) against a real redis-server that wants passwords ({@code requirepass} for the default user,
 * an ACL user for the nodes) and, in the TLS cases, speaks TLS only with a certificate from a CA made at test time:
 * the right credentials work (the node writes its liveness and is ready under a cluster limit), a wrong password or
 * an untrusted certificate stops the node at start with exit 2 and a message naming {@code --redis-url}, and the
 * password appears in no log line, {@code /readyz} or metrics.
 */
@Timeout(180)
class RedisAuthIT {
    private static final String ADMIN_PASSWORD = "redis-admin-pw-7Qx";
    private static final String NODE_PASSWORD = "redis-node-pw-3Kd";

    private final RedisServer redis = new RedisServer();
    private final List<GatewayNode> nodes = new ArrayList<>();

    @BeforeEach
    void tools() {
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
    }

    @AfterEach
    void stop() {
        for (final GatewayNode node : nodes) {
            node.close();
        }
        redis.close();
    }

    private GatewayNode node(final String id, final String url, final Map<String, String> env, final String... extra)
        throws IOException {
        final GatewayNode node = GatewayNode.withRedis(id, url, env, extra);
        nodes.add(node);
        return node;
    }

    private static void assertNoPassword(final String where, final String text) {
        assertFalse(text.contains(NODE_PASSWORD) || text.contains(ADMIN_PASSWORD), "a password in " + where + ":\n" + text);
    }

    /** Whether the node's liveness key is in Redis (read as the default user). */
    private boolean registered(final String id) {
        try (Jedis jedis = redis.client()) {
            return jedis.get(ClusterKeys.node(id)) != null;
        }
    }

    /** Whether the node's liveness key appears within 10 s (its first heartbeat may follow its readiness). */
    private boolean registers(final String id) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!registered(id)) {
            if (System.nanoTime() > giveUp) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    @Test
    void shouldJoinAsTheAclUserWithThePasswordFromTheEnvironment() throws Exception {
        redis.withPasswords(ADMIN_PASSWORD, NODE_PASSWORD).start();
        final GatewayNode node = node("auth-env", "redis://" + RedisServer.NODE_USER + "@127.0.0.1:" + redis.url().getPort(),
            Map.of("VOXGATE_REDIS_PASSWORD", NODE_PASSWORD), "--max-calls-cluster", "10");

        node.awaitReady();

        assertTrue(registers("auth-env"), "the node wrote its liveness key as the ACL user");
        assertEquals(1, node.metric("voxgate_cluster_redis_up", ""));
        assertTrue(node.metric("voxgate_cluster_seats_held", "") > 0, "the seat script ran under the ACL user");
        assertNoPassword("the log", node.log());
        assertNoPassword("/readyz", node.body("/readyz"));
        assertNoPassword("/metrics", node.body("/metrics"));
    }

    @Test
    void shouldHideAPasswordGivenInTheUrlWhereverTheUrlIsPrinted() throws Exception {
        redis.withPasswords(ADMIN_PASSWORD, NODE_PASSWORD).start();
        final int port = redis.url().getPort();
        final GatewayNode node = node("auth-url", "redis://" + RedisServer.NODE_USER + ":" + NODE_PASSWORD + "@127.0.0.1:" + port,
            Map.of(), "--max-calls-cluster", "10");

        node.awaitReady();

        assertTrue(registers("auth-url"), "the node wrote its liveness key with the URL's password");
        final String log = node.log();
        assertTrue(log.contains("redis-url=redis://voxgate:***@127.0.0.1:" + port), log);
        assertNoPassword("the log", log);
        assertNoPassword("/metrics", node.body("/metrics"));
    }

    @Test
    void shouldRefuseToStartWithAWrongPassword() throws Exception {
        redis.withPasswords(ADMIN_PASSWORD, NODE_PASSWORD).start();
        final int port = redis.url().getPort();
        final GatewayNode node = node("auth-wrong", "redis://" + RedisServer.NODE_USER + "@127.0.0.1:" + port,
            Map.of("VOXGATE_REDIS_PASSWORD", "not-" + NODE_PASSWORD));

        final int exit = node.awaitExit(60);

        final String log = node.log();
        assertEquals(2, exit, "a wrong password is a configuration error: " + log);
        assertTrue(log.contains("--redis-url: Redis at 127.0.0.1:" + port + " refused this node (WRONGPASS"), log);
        assertFalse(log.contains(NODE_PASSWORD), "the password given is never printed");
        assertFalse(registered("auth-wrong"));
    }

    @Test
    void shouldJoinOverTlsTrustingTheGivenCaAndRefuseToStartWithoutIt() throws Exception {
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "redis-tls").toAbsolutePath();
        assumeTrue(TestCa.opensslAvailable(), "openssl is not installed (Debian package openssl), needed for the test CA");
        final TestCa ca = TestCa.create(dir, "127.0.0.1");
        redis.withPasswords(ADMIN_PASSWORD, NODE_PASSWORD).withTls(ca.serverCertificate, ca.serverKey, ca.certificate);
        try {
            redis.start();
        } catch (final IllegalStateException noTls) {
            assumeTrue(false, "redis-server did not start with --tls-port (built without TLS?): see target/redis-*.log");
        }
        final String url = "rediss://" + RedisServer.NODE_USER + "@127.0.0.1:" + redis.url().getPort();
        final Map<String, String> env = Map.of("VOXGATE_REDIS_PASSWORD", NODE_PASSWORD);

        final GatewayNode trusting = node("tls-ca", url, env, "--redis-tls-ca", ca.certificate.toString(),
            "--max-calls-cluster", "10");
        final GatewayNode untrusting = node("tls-jvm", url, env);
        trusting.awaitReady();
        final int exit = untrusting.awaitExit(60);

        assertTrue(registers("tls-ca"), "the node reached Redis over TLS");
        assertEquals(2, exit, "a certificate the JVM does not trust stops the node: " + untrusting.log());
        assertTrue(untrusting.log().contains("--redis-url: TLS to Redis at 127.0.0.1:" + redis.url().getPort() + " failed"),
            untrusting.log());
        assertNoPassword("the log", trusting.log() + untrusting.log());
        final JedisException wrongName = assertThrows(JedisException.class, () -> RedisLink.connect(RedisEndpoint.parse(
            "rediss://localhost:" + redis.url().getPort(), ADMIN_PASSWORD, ca.certificate), 2_000).ping());
        assertTrue(causedBySsl(wrongName), "a trusted certificate for 127.0.0.1 does not do for localhost: " + wrongName);
    }

    private static boolean causedBySsl(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** A CA and a server certificate it signed for one IP address, made with openssl. */
    private static final class TestCa {
        final Path certificate;
        final Path serverCertificate;
        final Path serverKey;

        private TestCa(final Path dir) {
            this.certificate = dir.resolve("ca.crt");
            this.serverCertificate = dir.resolve("server.crt");
            this.serverKey = dir.resolve("server.key");
        }

        static boolean opensslAvailable() {
            try {
                return run(Path.of("."), "openssl", "version");
            } catch (final IOException ex) {
                return false;
            }
        }

        static TestCa create(final Path dir, final String ip) throws IOException {
            final TestCa ca = new TestCa(dir);
            final Path caKey = dir.resolve("ca.key");
            final Path request = dir.resolve("server.csr");
            final Path extensions = Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:" + ip + "\n",
                StandardCharsets.US_ASCII);
            assertTrue(run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=voxgate test CA", "-keyout", caKey.toString(), "-out", ca.certificate.toString()));
            assertTrue(run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + ip,
                "-keyout", ca.serverKey.toString(), "-out", request.toString()));
            assertTrue(run(dir, "openssl", "x509", "-req", "-in", request.toString(), "-CA", ca.certificate.toString(),
                "-CAkey", caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
                "-out", ca.serverCertificate.toString()));
            assertNotNull(Files.readString(ca.serverCertificate));
            return ca;
        }

        private static boolean run(final Path dir, final String... command) throws IOException {
            final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            try {
                return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
