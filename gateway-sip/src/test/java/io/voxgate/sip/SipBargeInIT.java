package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.agent.ParrotAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.twilio.SimulatedAudio;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Barge-in over SIP/RTP as the caller hears it: SIPp places the call, the test's RTP peer talks to the parrot agent
 * and talks over its 1.2 s replay 300 ms in, and what came back over RTP (all of which an RTP phone plays) is what the
 * caller heard. On RTP the pause is the gateway switching to comfort silence on its 20 ms grid; nothing sent is lost.
 */
class SipBargeInIT {
    private static final int LEAD_IN_MS = 500;
    private static final int UTTERANCE_MS = 1_000;
    private static final int INTO_REPLAY_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS + 300;
    private static final int SPEAKS_AT_MS = LEAD_IN_MS + UTTERANCE_MS + INTO_REPLAY_MS;
    private static final int MINUS_20_DBFS = (int) Math.round(32_768 * Math.sqrt(2) * 0.1);

    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private final CallRegistry registry = new CallRegistry(10);
    private SipEdge edge;
    private RtpPeer peer;

    @BeforeEach
    void start() {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final SipEdgeConfig config = SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort)
            .rtpPorts(rtpPort, rtpPort + 1).portQuarantineMs(0).sipThreads(2).build();
        edge = TestMediaLoops.edge(config, registry, call -> new ParrotAgent(AudioFormat.MULAW_8K), CallSessionConfig.defaults());
        edge.start();
        peer = new RtpPeer(peerPort);
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    private static SimulatedAudio utterance() {
        return SimulatedAudio.tone(200, UTTERANCE_MS, 8_000);
    }

    /** Places the call and says {@code overReplay} 300 ms into the parrot's replay. */
    private void call(final SimulatedAudio overReplay) throws Exception {
        final byte[] said = SimulatedAudio.concat(SimulatedAudio.silence(LEAD_IN_MS), utterance(),
            SimulatedAudio.silence(INTO_REPLAY_MS), overReplay, SimulatedAudio.silence(3_000)).mulaw();
        final CompletableFuture<Sipp.Result> sipp = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(said.length / 8 + 800).run());
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.size() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(1, registry.size(), "the call was admitted");
        peer.sendAudio(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, said);
        final Sipp.Result r = sipp.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());
    }

    private static int nonSilence(final byte[] mulaw) {
        int n = 0;
        for (final byte b : mulaw) {
            n += b != (byte) 0xFF ? 1 : 0;
        }
        return n;
    }

    private static boolean isPcmuFrame(final byte[] d) {
        return d.length == 172 && (d[1] & 0x7F) == RtpPeer.PCMU;
    }

    /**
     * When the caller's phone plays each packet: its place on the gateway's 20 ms grid (its RTP timestamp; the gateway
     * sends without a gap, comfort silence between turns), put on this test's clock at the packet that arrived soonest
     * after its place. The test's receive thread only ever stamps late, and on a busy machine it may run tens of
     * milliseconds late; read this way, such a delay cannot make a packet the gateway sent in time look late.
     */
    private static long[] playoutTimes(final List<byte[]> packets, final List<Long> receivedAtNs) {
        final long firstTimestamp = timestamp(packets.get(0));
        final long[] offsetNs = new long[packets.size()];
        long anchorNs = Long.MAX_VALUE;
        for (int i = 0; i < packets.size(); i++) {
            offsetNs[i] = ((timestamp(packets.get(i)) - firstTimestamp) & 0xFFFF_FFFFL) * 125_000L;
            anchorNs = Math.min(anchorNs, receivedAtNs.get(i) - offsetNs[i]);
        }
        final long[] out = new long[packets.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = anchorNs + offsetNs[i];
        }
        return out;
    }

    private static long timestamp(final byte[] rtp) {
        return ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
    }

    private byte[] heard() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] d : peer.received) {
            if (isPcmuFrame(d)) {
                out.write(d, 12, 160);
            }
        }
        return out.toByteArray();
    }

    @Test
    void shouldPlayTheWholeReplayOnceThroughABackchannel() throws Exception {
        call(SimulatedAudio.tone(180, 250, MINUS_20_DBFS));

        final double heard = nonSilence(heard()) / (double) nonSilence(utterance().mulaw());
        System.out.printf("SIP: mm-hm 300 ms into the replay: %.1f %% of the replay heard%n", heard * 100);
        assertTrue(heard >= 0.95 && heard <= 1.01, "heard " + heard + " of the replay");
    }

    @Test
    void shouldStopTheOldTurnWithinAHundredMillisecondsOfARealInterruptionAndNeverResumeIt() throws Exception {
        final int interruptionMs = 900;
        call(SimulatedAudio.tone(300, interruptionMs, 8_000));

        // The onset is when the interruption's first packet actually left, not when it was planned to: on a busy
        // machine the sender's thread runs late, and the gateway cannot hear a packet before it is sent.
        final long onsetNs = peer.audioSentAtNs.get(SPEAKS_AT_MS / 20);
        final long replayOfInterruptionNs = onsetNs + (interruptionMs + ParrotAgent.SILENCE_BEFORE_REPLAY_MS / 2) * 1_000_000L;
        final List<byte[]> packets = new ArrayList<>();
        final List<Long> receivedAtNs = new ArrayList<>();
        for (int i = 0; i < Math.min(peer.received.size(), peer.receivedAtNs.size()); i++) {
            if (isPcmuFrame(peer.received.get(i))) {
                packets.add(peer.received.get(i));
                receivedAtNs.add(peer.receivedAtNs.get(i));
            }
        }
        final long[] times = playoutTimes(packets, receivedAtNs);
        long lastOldTurnNs = -1;
        int oldTurnAfterPause = 0;
        for (int i = 0; i < packets.size(); i++) {
            final long at = times[i];
            final byte[] d = packets.get(i);
            final boolean voice = nonSilence(java.util.Arrays.copyOfRange(d, 12, 172)) > 80;
            if (voice && at >= onsetNs && at < replayOfInterruptionNs) {
                if (at - onsetNs <= 100_000_000L) {
                    lastOldTurnNs = at;
                } else {
                    oldTurnAfterPause++;
                }
            }
        }
        long latestReceiveNs = 0;
        for (int i = 0; i < times.length; i++) {
            latestReceiveNs = Math.max(latestReceiveNs, receivedAtNs.get(i) - times[i]);
        }
        System.out.printf("SIP: real interruption: last old-turn packet %.1f ms after the speech onset (as played; "
            + "the latest packet was received %.1f ms after its place)%n", (lastOldTurnNs - onsetNs) / 1e6, latestReceiveNs / 1e6);
        assertTrue(lastOldTurnNs > onsetNs, "the replay was playing when the caller spoke");
        assertEquals(0, oldTurnAfterPause, "old-turn packets later than 100 ms after the onset");
    }
}
