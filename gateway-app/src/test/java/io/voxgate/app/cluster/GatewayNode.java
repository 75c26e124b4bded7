package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Voxgate node as its own process ({@code java -cp <the test's class path> io.voxgate.app.Voxgate run}), so it
 * can be sent SIGTERM or killed with SIGKILL like a real one; its admin port is read for metrics and readiness.
 */
final class GatewayNode implements AutoCloseable {
    static final String ADMIN_TOKEN = "cluster-it-admin-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String id;
    final int sipPort = FreePorts.udpAndTcp();
    final int httpPort = FreePorts.udpAndTcp();
    final int adminPort = FreePorts.udpAndTcp();
    private final Process process;

    GatewayNode(final String id, final URI redis, final int rtpBase, final String... extra) throws IOException {
        this.id = id;
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), "io.voxgate.app.Voxgate", "run",
            "--bind", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--admin-port", Integer.toString(adminPort),
            "--sip-port", Integer.toString(sipPort), "--sip-transport", "udp",
            "--rtp-ports", rtpBase + "-" + (rtpBase + 399), "--agent", "echo", "--insecure-no-signature",
            "--public-url", "http://127.0.0.1:" + httpPort, "--redis-url", redis.toString(), "--node-id", id,
            "--drain-timeout", "30"));
        cmd.addAll(List.of(extra));
        final ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(new File("target/node-" + id + "-" + sipPort + ".log"));
        builder.environment().put("VOXGATE_ADMIN_TOKEN", ADMIN_TOKEN);
        this.process = builder.start();
    }

    /** Waits until the node answers {@code /readyz} 200 on its admin port. */
    GatewayNode awaitReady() throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + id + " exited " + process.exitValue());
            }
            if (status("/readyz") == 200) {
                return this;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("node " + id + " not ready");
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
