package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Gateway nodes (child processes) behind the shipped Kamailio dispatcher configuration, sharing one redis-server,
 * driven by SIPp through Kamailio: calls spread over the nodes; a SIGTERMed node finishes its calls while every new
 * call lands on the others (none fails); a SIGKILLed node's calls (and only those) end and their ownership keys
 * expire; the cluster call limit holds under a burst of 100 INVITEs. Figures go to target/cluster-figures.txt.
 */
@Timeout(300)
class KamailioClusterIT {
    private static final Path FIGURES = Path.of("target/cluster-figures.txt");
    private static final Pattern ANSWERED_BY = Pattern.compile(
        "SIP/2\\.0 200 OK.*?CSeq: 1 INVITE.*?Contact: <sip:[^>]*?127\\.0\\.0\\.1:(\\d+)", Pattern.DOTALL);

    private final RedisServer redis = new RedisServer();
    private final Kamailio kamailio = new Kamailio();
    private final List<GatewayNode> nodes = new ArrayList<>();

    @BeforeEach
    void tools() {
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
        assumeTrue(Kamailio.available(), "kamailio is not installed (Debian package kamailio)");
        assumeTrue(Sipp.available(), "sipp is not installed (Debian package sip-tester)");
    }

    @AfterEach
    void stop() throws Exception {
        for (final GatewayNode node : nodes) {
            node.close();
        }
        kamailio.close();
        redis.close();
    }

    private void cluster(final int count, final String... extra) throws Exception {
        redis.start();
        for (int i = 0; i < count; i++) {
            nodes.add(new GatewayNode("node-" + (char) ('a' + i), redis.url(), extra));
        }
        for (final GatewayNode node : nodes) {
            node.awaitReady();
        }
        kamailio.start(nodes.stream().map(GatewayNode::sipPort).toList(), 1);
        // Two probe rounds: every node active in the dispatcher.
        TimeUnit.SECONDS.sleep(3);
    }

    private CompletableFuture<Sipp.Result> sipp(final int calls, final int rate, final int durationMs, final int timeoutSeconds) {
        final int rtp = FreePorts.rtpPair();
        return CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-proxied.xml", kamailio.port())
            .key("rtpport", Integer.toString(rtp)).calls(calls).concurrency(calls).rate(rate).pauseMs(durationMs)
            .timeoutSeconds(timeoutSeconds).run());
    }

    /** Which node (by SIP port) answered each call, from SIPp's message log. */
    private Map<String, Integer> answeredBy(final Sipp.Result result) {
        final Map<String, Integer> perNode = new TreeMap<>();
        for (final String message : result.messages.split("message received")) {
            final Matcher m = ANSWERED_BY.matcher(message);
            if (m.find() && message.indexOf("SIP/2.0 200 OK") < 80) {
                final int port = Integer.parseInt(m.group(1));
                final String id = nodes.stream().filter(n -> n.sipPort() == port).map(n -> n.id).findFirst().orElse("?" + port);
                perNode.merge(id, 1, Integer::sum);
            }
        }
        return perNode;
    }

    private static void await(final BooleanSupplier condition, final long seconds, final String what) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private long totalSipCalls() {
        long total = 0;
        for (final GatewayNode node : nodes) {
            try {
                total += Math.max(0, node.sipCalls());
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return total;
    }

    private static void figure(final String line) throws IOException {
        Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }

    private List<String> ownedBy(final String node) {
        final List<String> keys = new ArrayList<>();
        try (Jedis jedis = redis.client()) {
            for (final String key : jedis.keys("voxgate:call:*")) {
                if (node.equals(jedis.get(key))) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    @Test
    void shouldSpreadCallsAndDrainASigtermedNodeWhileNewCallsLandOnTheOthers() throws Exception {
        cluster(3);
        final GatewayNode draining = nodes.get(0);
        // 60 calls of 6 s at 10/s: the first ones are up on every node when one node is sent SIGTERM.
        final CompletableFuture<Sipp.Result> run = sipp(60, 10, 6_000, 120);
        await(() -> totalSipCalls() >= 15, 30, "15 calls up over the nodes");
        final long callsAtSigterm = draining.sipCalls();
        final long sigtermNs = System.nanoTime();
        draining.terminate();
        long lastRefusalNs = sigtermNs;
        long refusals = 0;
        while (draining.alive() && System.nanoTime() - sigtermNs < TimeUnit.SECONDS.toNanos(40)) {
            final long refused = draining.metric("voxgate_sip_requests_rejected", "{reason=\"busy\"}");
            if (refused > refusals) {
                refusals = refused;
                lastRefusalNs = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        final int exit = draining.awaitExit(40);
        final long drainedMs = (System.nanoTime() - sigtermNs) / 1_000_000;
        final Sipp.Result result = run.get(150, TimeUnit.SECONDS);

        final Map<String, Integer> perNode = answeredBy(result);
        figure(String.format("SIGTERM test: 60 calls (6 s each, 10/s) over 3 nodes, calls per node %s; %d calls up on %s at "
                + "SIGTERM; INVITEs it refused while draining (each retried by Kamailio on another node): %d, the last %d ms "
                + "after SIGTERM; it exited %d after %d ms; failed calls %d", perNode, callsAtSigterm, draining.id, refusals,
            (lastRefusalNs - sigtermNs) / 1_000_000, exit, drainedMs, result.statistic("FailedCall(C)")));
        assertEquals(0, result.exitCode, "every call succeeded: " + result.describe());
        assertEquals(60, result.statistic("SuccessfulCall(C)"));
        assertEquals(0, exit, "the drained node exits 0");
        assertTrue(drainedMs < 30_000, "its calls finished within the drain deadline: " + drainedMs + " ms");
        assertEquals(3, perNode.size(), "calls spread over the three nodes: " + perNode);
        assertTrue(callsAtSigterm >= 3, "the drained node carried calls at SIGTERM: " + callsAtSigterm);
        assertTrue(perNode.get(draining.id) >= callsAtSigterm);
        assertTrue(perNode.get("node-b") + perNode.get("node-c") >= 60 - perNode.get(draining.id));
    }

    @Test
    void shouldEndOnlyTheKilledNodesCallsAndExpireItsOwnership() throws Exception {
        cluster(3);
        final CompletableFuture<Sipp.Result> run = sipp(12, 20, 12_000, 90);
        await(() -> totalSipCalls() == 12, 30, "12 calls up");
        final GatewayNode victim = nodes.get(0);
        final long victimCalls = victim.sipCalls();
        assertTrue(victimCalls > 0, "the node to kill carries calls");
        assertEquals(victimCalls, ownedBy(victim.id).size(), "Redis names it the owner of its calls");

        final long killNs = System.nanoTime();
        victim.kill();
        await(() -> ownedBy(victim.id).isEmpty(), 30, "the killed node's ownership keys expired");
        final long expiredMs = (System.nanoTime() - killNs) / 1_000_000;
        final long survivors = nodes.get(1).sipCalls() + nodes.get(2).sipCalls();
        final Sipp.Result result = run.get(90, TimeUnit.SECONDS);

        figure(String.format("kill -9 test: 12 calls over 3 nodes %s; killed %s with %d calls: SIPp failed %d, succeeded %d; "
                + "its ownership keys gone %d ms after the kill", answeredBy(result), victim.id, victimCalls,
            result.statistic("FailedCall(C)"), result.statistic("SuccessfulCall(C)"), expiredMs));
        assertEquals(12 - victimCalls, survivors, "the survivors' calls all still up after the kill");
        assertEquals(victimCalls, result.statistic("FailedCall(C)"), "only the killed node's calls were lost: " + result.describe());
        assertEquals(12 - victimCalls, result.statistic("SuccessfulCall(C)"));
    }

    @Test
    void shouldHangUpASipCallThroughTheNodeThatDoesNotRunIt() throws Exception {
        cluster(2);
        final int rtp = FreePorts.rtpPair();
        final CompletableFuture<Sipp.Result> run = CompletableFuture.supplyAsync(() -> Sipp.scenario(
            "uac-proxied-remote-bye.xml", kamailio.port()).key("rtpport", Integer.toString(rtp)).timeoutSeconds(60).run());
        await(() -> totalSipCalls() == 1, 30, "the call up");
        final GatewayNode owner = nodes.get(0).sipCalls() == 1 ? nodes.get(0) : nodes.get(1);
        final GatewayNode other = owner == nodes.get(0) ? nodes.get(1) : nodes.get(0);
        final String callId;
        try (Jedis jedis = redis.client()) {
            final List<String> keys = new ArrayList<>(jedis.keys("voxgate:call:sip:*"));
            assertEquals(1, keys.size(), keys.toString());
            assertEquals(owner.id, jedis.get(keys.get(0)));
            callId = keys.get(0).substring("voxgate:call:sip:".length());
        }

        final long startNs = System.nanoTime();
        final int status = other.delete("/calls/" + java.net.URLEncoder.encode(callId, StandardCharsets.UTF_8));
        final long answeredUs = (System.nanoTime() - startNs) / 1_000;
        final Sipp.Result result = run.get(60, TimeUnit.SECONDS);

        figure(String.format("wrong-node command test: DELETE /calls/{id} on %s for %s's SIP call: %d in %.2f ms; the caller "
            + "got BYE through Kamailio", other.id, owner.id, status, answeredUs / 1_000.0));
        assertEquals(202, status);
        assertEquals(0, result.exitCode, "the caller received BYE through Kamailio and answered it: " + result.describe());
        await(() -> totalSipCalls() == 0, 10, "the call gone");
    }

    @Test
    void shouldHoldTheClusterLimitUnderABurstOf100Invites() throws Exception {
        cluster(2, "--max-calls-cluster", "10");
        long peak = 0;
        final CompletableFuture<Sipp.Result> run = sipp(100, 1_000, 4_000, 60);
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < endNs) {
            peak = Math.max(peak, totalSipCalls());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        final Sipp.Result result = run.get(90, TimeUnit.SECONDS);
        long admitted = 0;
        for (final GatewayNode node : nodes) {
            admitted += node.metric("voxgate_calls_admitted", "");
        }

        figure(String.format("cluster limit test: 100 INVITEs at once through Kamailio to 2 nodes, --max-calls-cluster 10: "
                + "admitted %d, peak calls running %d, SIPp succeeded %d, failed %d", admitted, peak,
            result.statistic("SuccessfulCall(C)"), result.statistic("FailedCall(C)")));
        assertTrue(admitted <= 10, "never more than the cluster limit admitted: " + admitted);
        assertTrue(peak <= 10, "never more than the cluster limit running: " + peak);
        assertTrue(result.statistic("SuccessfulCall(C)") <= 10);
        assertTrue(admitted >= 8, "the limit is used, not starved by spare seats: " + admitted);
    }
}
