package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Voxgate node as its own process ({@code java -cp <the test's class path> io.voxgate.app.Voxgate run}), so it
 * can be sent SIGTERM or killed with SIGKILL like a real one; its admin port is read for metrics and readiness.
 *
 * <p>Its ports are known free when picked but bound only once the child's JVM is up, so another program can take one
 * in between: a node that exits at start because an address is in use is started again on fresh ports (its RTP range
 * too is its own, below the ranges {@link FreePorts} hands out). Any other exit at start is reported with the node's
 * own last words.
 */
final class GatewayNode implements AutoCloseable {
    static final String ADMIN_TOKEN = "cluster-it-admin-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int LAUNCHES = 4;
    private static final int RTP_PORTS = 400;
    /** RTP ranges of 400 ports in 10000-19999: away from FreePorts' 21000-39999 and the kernel's ephemeral ports. */
    private static final int RTP_BLOCKS = 25;
    private static final AtomicInteger NEXT_RTP_BLOCK = new AtomicInteger(ThreadLocalRandom.current().nextInt(RTP_BLOCKS));

    final String id;
    private final List<String> options;
    /** {@code --public-url} and {@code --trust-proxy} of a node behind a proxy; null for one open on loopback. */
    private final List<String> twilio;
    private final Map<String, String> env;
    private final int rtpLow = 10_000 + Math.floorMod(NEXT_RTP_BLOCK.getAndIncrement(), RTP_BLOCKS) * RTP_PORTS;
    private int sipPort;
    private int httpPort;
    private int adminPort;
    private int launches;
    private Process process;
    private Path log;

    /** A node without Twilio signature checks, its public URL its own loopback address. */
    GatewayNode(final String id, final URI redis, final String... extra) throws IOException {
        this(id, redis.toString(), Map.of(), null, extra);
    }

    /**
     * A node behind a TLS proxy on 127.0.0.1 ({@code --trust-proxy}): its TwiML names {@code publicUrl}, and webhooks
     * and stream upgrades must be signed with {@code twilioAuthToken}.
     */
    static GatewayNode behindProxy(final String id, final URI redis, final String publicUrl, final String twilioAuthToken,
                                   final String... extra) throws IOException {
        final List<String> options = new ArrayList<>(List.of("--public-url", publicUrl, "--trust-proxy", "127.0.0.1/32"));
        options.addAll(List.of(extra));
        return new GatewayNode(id, redis.toString(), Map.of("TWILIO_AUTH_TOKEN", twilioAuthToken), options, new String[0]);
    }

    /** A node given {@code redisUrl} as it is and {@code env} besides the admin token (for Redis credentials). */
    static GatewayNode withRedis(final String id, final String redisUrl, final Map<String, String> env,
                                 final String... extra) throws IOException {
        return new GatewayNode(id, redisUrl, env, null, extra);
    }

    private GatewayNode(final String id, final String redisUrl, final Map<String, String> env, final List<String> twilio,
                        final String... extra) throws IOException {
        this.id = id;
        this.env = env;
        this.twilio = twilio;
        this.options = new ArrayList<>(List.of("--agent", "echo", "--redis-url", redisUrl, "--node-id", id,
            "--drain-timeout", "30", "--rtp-ports", rtpLow + "-" + (rtpLow + RTP_PORTS - 1)));
        options.addAll(List.of(extra));
        launch();
    }

    private void launch() throws IOException {
        launches++;
        sipPort = FreePorts.udpAndTcp();
        httpPort = FreePorts.udpAndTcp();
        adminPort = FreePorts.udpAndTcp();
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), "io.voxgate.app.Voxgate", "run",
            "--bind", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--admin-port", Integer.toString(adminPort),
            "--sip-port", Integer.toString(sipPort), "--sip-transport", "udp"));
        cmd.addAll(twilio != null ? twilio : List.of("--insecure-no-signature", "--public-url", "http://127.0.0.1:" + httpPort));
        cmd.addAll(options);
        this.log = Path.of("target/node-" + id + "-" + sipPort + ".log");
        final ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("VOXGATE_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().putAll(env);
        this.process = builder.start();
    }

    /** The node's SIP port (UDP), final once {@link #awaitReady} returned. */
    int sipPort() {
        return sipPort;
    }

    /** The node's HTTP port (webhooks, media streams), final once {@link #awaitReady} returned. */
    int httpPort() {
        return httpPort;
    }

    /** What the node printed so far (stdout and stderr). */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * Waits until the node answers {@code /readyz} 200 on its admin port, starting it again on fresh ports when it
     * exited because one of its addresses was taken.
     *
     * @throws IllegalStateException when it exited for another reason (with its last lines) or was not ready in 60 s
     */
    GatewayNode awaitReady() throws InterruptedException, IOException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            if (!process.isAlive()) {
                final String said = log();
                if (said.contains("Address already in use") && launches < LAUNCHES) {
                    launch();
                    continue;
                }
                throw new IllegalStateException("node " + id + " exited " + process.exitValue() + ":\n" + tail(said));
            }
            if (status("/readyz") == 200) {
                return this;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("node " + id + " not ready in 60 s:\n" + tail(log()));
    }

    private static String tail(final String text) {
        final List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private int status(final String path) throws InterruptedException {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final IOException notListening) {
            return -1;
        }
    }

    private HttpRequest request(final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build();
    }

    /** Sends {@code DELETE path} to the admin port with the token; the status (-1 when the node does not answer). */
    int delete(final String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final IOException gone) {
            return -1;
        }
    }

    /** The body of {@code GET path} on the admin port, with the token (empty when the node does not answer). */
    String body(final String path) throws InterruptedException {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (final IOException gone) {
            return "";
        }
    }

    /** The value of the metric line {@code name{labels}} (or -1 when the node does not answer). */
    long metric(final String name, final String labels) throws InterruptedException {
        final String text;
        try {
            text = HTTP.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
        } catch (final IOException gone) {
            return -1;
        }
        final Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:_total)?" + Pattern.quote(labels) + " (\\S+)$",
            Pattern.MULTILINE).matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** SIP calls running on the node now. */
    long sipCalls() throws InterruptedException {
        return metric("voxgate_calls_active", "{edge=\"sip\"}");
    }

    /** Sends SIGTERM: the node drains. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to exit; its exit code, or -1 when it was still running at the deadline. */
    int awaitExit(final long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
