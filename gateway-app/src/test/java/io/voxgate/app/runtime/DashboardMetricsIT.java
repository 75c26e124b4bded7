package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules in {@code deploy/} name exists in a real scrape
 * of a node with both edges that has carried a call: a renamed metric breaks this test, not an operator's dashboard.
 */
@Timeout(60)
class DashboardMetricsIT {
    private static final String TOKEN = "dashboard-test-token";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final Pattern METRIC = Pattern.compile("\\b((?:voxgate|jvm|process)_[a-z0-9_]+)");
    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void shouldExposeEveryMetricTheDashboardAndAlertsName() throws Exception {
        final Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".yml")).toList()) {
                final Matcher m = METRIC.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertFalse(named.isEmpty(), "no metric names found under " + DEPLOY.toAbsolutePath());

        final Set<String> exposed = seriesNames(scrapeAfterOneCall());

        final Set<String> missing = named.stream().filter(n -> !exposed.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "named in deploy/ but not in /metrics");
    }

    private static Set<String> seriesNames(final String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
            .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    private static String scrapeAfterOneCall() throws Exception {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(freeTcpPort()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, PUBLIC_URL);
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.SIP_PORT, Integer.toString(freeUdpPort()));
        flags.put(GatewayOption.SIP_TRANSPORT, "udp");
        flags.put(GatewayOption.RTP_PORTS, "41000-41099");
        final Path cdr = Files.createTempFile("voxgate-cdr", ".jsonl");
        flags.put(GatewayOption.CDR_FILE, cdr.toString());
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TOKEN);
        try (Gateway gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
             TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort())
                 .publicUrl(PUBLIC_URL).authToken(TOKEN).build()) {
            final SimulatedCallResult call = simulator.call(CallPlan.builder().audio(SimulatedAudio.tone(440, 1000, 8000))
                .hangUp(true).build()).get(20, TimeUnit.SECONDS);
            assertTrue(call.ok(), call.toString());
            final HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            return metrics.body();
        } finally {
            Files.deleteIfExists(cdr);
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
