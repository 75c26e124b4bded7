package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import io.voxgate.websocket.http.EventLoopTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vapi agent's kept-alive API connections, and the ending of a Vapi call the caller left before joining, against
 * the local stand-in over real loopback sockets (plain and TLS).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class VapiApiConnectionsIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = "sk-test-secret-key";
    private static final int SETUPS = 5;
    private static EventLoopGroup callLoops;

    private VapiStandIn standIn;
    private VapiAgentFactory factory;
    private final VapiAgentStats stats = new VapiAgentStats();
    private EventLoop loop;
    private int calls;

    @BeforeAll
    static void startLoops() {
        callLoops = EventLoopTransport.nio().newGroup(1, "call-loop");
    }

    @AfterAll
    static void stopLoops() {
        callLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (standIn != null) {
            standIn.close();
        }
    }

    @Test
    void shouldSetUpSuccessiveCallsOverOneApiConnection() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config());

        for (int i = 0; i < SETUPS; i++) {
            connectThenHangUp();
        }

        // One kept-alive API connection, plus each call's own transport socket.
        assertEquals(1 + SETUPS, standIn.connectionsAccepted());
        assertEquals(SETUPS, standIn.createRequests());
        assertEquals(1, stats.apiConnectionsOpened());
        assertEquals(SETUPS - 1, stats.apiConnectionsReused());
    }

    @Test
    void shouldOpenAnApiConnectionPerCallWhenNoneIsKeptIdle() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config().apiMaxIdleConnections(0));

        for (int i = 0; i < SETUPS; i++) {
            connectThenHangUp();
        }

        assertEquals(2 * SETUPS, standIn.connectionsAccepted());
        assertEquals(SETUPS, stats.apiConnectionsOpened());
        assertEquals(0, stats.apiConnectionsReused());
    }

    @Test
    void shouldCloseAnIdleApiConnectionAfterTheIdleTimeout() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config().apiIdleTimeoutMs(1_000));
        final StandInCall call = connectThenHangUp();
        assertTrue(call.awaitSocketClosed(WAIT));

        assertTrue(await(() -> standIn.connectionsOpen() == 0, WAIT), "open: " + standIn.connectionsOpen());
        assertEquals(0, (int) loop.submit(() -> factory.apiConnections(loop).idleCount()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldKeepNoMoreIdleApiConnectionsThanItsBound() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRestDelayMs(200)),
            config().apiMaxIdleConnections(2));
        final List<RecordingListener> listeners = new ArrayList<>();
        final List<VoiceAgent> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final RecordingListener listener = new RecordingListener();
            agents.add(connect(listener));
            listeners.add(listener);
        }
        for (final RecordingListener listener : listeners) {
            assertTrue(listener.awaitConnected(WAIT));
        }

        assertEquals(4, stats.apiConnectionsOpened(), "four setups at once need four connections");
        assertEquals(2, (int) loop.submit(() -> factory.apiConnections(loop).idleCount()).get(5, TimeUnit.SECONDS));
        for (final VoiceAgent agent : agents) {
            onLoop(() -> agent.close("caller hung up", System.nanoTime()));
        }
    }

    @Test
    void shouldEndAVapiCallCreatedAfterTheCallerHungUp() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRestDelayMs(500)), config());
        final RecordingListener listener = new RecordingListener();
        final VoiceAgent agent = connect(listener);
        assertTrue(await(() -> standIn.createRequests() == 1, WAIT));

        onLoop(() -> agent.close("caller hung up", System.nanoTime()));
        final StandInCall call = standIn.awaitCall(0, WAIT);

        assertTrue(call.awaitControl("end-call", WAIT), "the stand-in records the call ended: " + call);
        assertTrue(call.awaitSocketClosed(WAIT));
        assertEquals(1, stats.orphanCalls());
        assertEquals(1, stats.orphanCallsEnded());
        assertEquals(0, listener.connected());
        assertNull(listener.closedReason(), "the gateway closed the agent: it is not told again");
    }

    @Test
    void shouldEndAVapiCallWhoseSocketWasOpeningWhenTheCallerHungUp() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withSocketDelayMs(500)), config());
        final RecordingListener listener = new RecordingListener();
        final VoiceAgent agent = connect(listener);
        final StandInCall call = standIn.awaitCall(0, WAIT);

        onLoop(() -> agent.close("caller hung up", System.nanoTime()));

        assertTrue(call.awaitControl("end-call", WAIT), "the stand-in records the call ended: " + call);
        assertTrue(call.awaitSocketClosed(WAIT));
        assertEquals(1, stats.orphanCallsEnded());
        assertEquals(0, listener.connected());
    }

    @Test
    void shouldLeaveNothingToEndWhenTheCreateIsRefusedAfterTheCallerHungUp() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRestDelayMs(300).withRejectFirst(500, 1)),
            config());
        final VoiceAgent agent = connect(new RecordingListener());
        assertTrue(await(() -> standIn.createRequests() == 1, WAIT));

        onLoop(() -> agent.close("caller hung up", System.nanoTime()));
        assertTrue(await(() -> standIn.connectionsOpen() == 1, WAIT), "only the idle API connection stays");

        assertEquals(1, standIn.createRequests(), "no retry once the caller is gone");
        assertEquals(0, stats.orphanCalls());
        assertTrue(standIn.calls().isEmpty());
    }

    /**
     * Not a pass/fail check of speed (the machine is shared): prints the mean setup time (connect() to socket open)
     * over TLS with a kept-alive API connection and with one per call, for the report.
     */
    @Test
    void shouldReportSetupTimeOverTlsWithAndWithoutKeptAliveConnections(@TempDir final Path dir) throws Exception {
        final SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        final SslContext server = SslContextBuilder.forServer(certificate.certificatePem.toFile(), certificate.privateKeyPem.toFile())
            .build();
        final SslContext client = SslContextBuilder.forClient().trustManager(certificate.certificate).build();
        final int rounds = 20;
        final long[] meanUs = new long[2];
        for (int variant = 0; variant < 2; variant++) {
            final VapiAgentStats variantStats = new VapiAgentStats();
            standIn = VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()).tls(server).start();
            factory = new VapiAgentFactory(config().apiMaxIdleConnections(variant == 0 ? 8 : 0).apiUrl(standIn.apiUrl()).build(),
                variantStats, new VapiCallRecords(), client, System::nanoTime);
            loop = callLoops.next();
            // Warm-up (JIT, TLS session machinery) is left out of the mean.
            for (int i = 0; i < rounds / 4; i++) {
                connectThenHangUp();
            }
            final long warmNs = variantStats.connectTotalNs();
            final long warmCount = variantStats.connectCount();
            for (int i = 0; i < rounds; i++) {
                connectThenHangUp();
            }
            assertEquals(rounds, variantStats.connectCount() - warmCount);
            meanUs[variant] = TimeUnit.NANOSECONDS.toMicros((variantStats.connectTotalNs() - warmNs) / rounds);
            factory.close();
            standIn.close();
        }
        factory = null;
        standIn = null;
        System.out.printf("vapi setup over TLS on loopback, mean of %d: kept-alive %d us, connection per call %d us%n", rounds,
            meanUs[0], meanUs[1]);
    }

    private void start(final VapiStandIn.Builder standInBuilder, final VapiConfig.Builder configBuilder) throws Exception {
        standIn = standInBuilder.start();
        factory = new VapiAgentFactory(configBuilder.apiUrl(standIn.apiUrl()).build(), stats, new VapiCallRecords());
        loop = callLoops.next();
    }

    private static VapiConfig.Builder config() {
        return VapiConfig.builder().apiKey(KEY).assistantId("a1");
    }

    private VoiceAgent connect(final RecordingListener listener) throws Exception {
        final AgentCall call = new AgentCall("CA-test-" + calls++, "twilio", Map.of(), loop);
        final VoiceAgent agent = factory.create(call);
        onLoop(() -> agent.connect(call, listener, System.nanoTime()));
        return agent;
    }

    /** One call set up and hung up by the caller; returns the stand-in's side of it once the hang-up reached it. */
    private StandInCall connectThenHangUp() throws Exception {
        final int index = standIn.calls().size();
        final RecordingListener listener = new RecordingListener();
        final VoiceAgent agent = connect(listener);
        assertTrue(listener.awaitConnected(WAIT));
        onLoop(() -> agent.close("caller hung up", System.nanoTime()));
        final StandInCall call = standIn.awaitCall(index, WAIT);
        assertTrue(call.awaitControl("end-call", WAIT));
        return call;
    }

    private void onLoop(final Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static boolean await(final BooleanSupplier condition, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
