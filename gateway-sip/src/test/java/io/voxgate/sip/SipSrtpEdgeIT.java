package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.sip.call.SipCall;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Libsrtp;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SRTP end to end over loopback sockets: SIPp offers RTP/SAVP with the caller's SDES key, libsrtp (an independent
 * implementation, through python3-pylibsrtp) makes the caller's SRTP and reads what the gateway's echo agent sends
 * back under the key from the gateway's 200 OK. A plain RTP call runs beside it on the same edge.
 */
class SipSrtpEdgeIT {
    private static final String SUITE = "AES_CM_128_HMAC_SHA1_80";
    private static final Pattern INLINE_KEY = Pattern.compile("inline:([A-Za-z0-9+/]{38}==|[A-Za-z0-9+/]{40})");
    private static final int FRAMES = 150;
    private static final int TAMPERED = 50;

    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPorts = fourFreePorts();
    private final int securePeerPort = FreePorts.rtpPair();
    private final int plainPeerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer securePeer;
    private RtpPeer plainPeer;

    @AfterEach
    void stop() {
        for (final RtpPeer peer : new RtpPeer[] {securePeer, plainPeer}) {
            if (peer != null) {
                peer.close();
            }
        }
        if (edge != null) {
            edge.stop();
        }
    }

    /** Two RTP/RTCP pairs in a row, for a two-call port range. */
    private static int fourFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            final int first = FreePorts.rtpPair();
            if (free(first + 2) && free(first + 3)) {
                return first;
            }
        }
        throw new IllegalStateException("no four free ports in a row");
    }

    private static boolean free(final int port) {
        try {
            new DatagramSocket(new InetSocketAddress("127.0.0.1", port)).close();
            return true;
        } catch (final IOException ex) {
            return false;
        }
    }

    @Test
    void shouldEchoDecryptableSrtpDropATamperedPacketAndKeepThePlainCallBesideWhole() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        assumeTrue(Libsrtp.available(), "python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)");
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 2);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort)
            .rtpPorts(rtpPorts, rtpPorts + 3).portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        securePeer = new RtpPeer(securePeerPort);
        plainPeer = new RtpPeer(plainPeerPort);

        final byte[] keyAndSalt = new byte[30];
        new SecureRandom().nextBytes(keyAndSalt);
        final String callerKey = Base64.getEncoder().encodeToString(keyAndSalt);
        final List<byte[]> tones = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            tones.add(RtpPeer.packet(RtpPeer.PCMU, 65_500 + i & 0xFFFF, 0x5EC0_0001, false, RtpPeer.tone(i)));
        }
        final List<byte[]> srtp = new ArrayList<>(Libsrtp.protectRtp(SUITE, callerKey, tones));
        final byte[] tampered = srtp.get(TAMPERED).clone();
        tampered[40] ^= 0x01;
        srtp.set(TAMPERED, tampered);

        final CompletableFuture<Sipp.Result> secureCall = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-savp.xml",
            sipPort).key("rtpport", Integer.toString(securePeerPort)).key("crypto", callerKey).pauseMs(FRAMES * 20 + 800).run());
        final SipCall secure = connected(sessions, 0);
        securePeer.sendDatagrams(new InetSocketAddress("127.0.0.1", secure.rtpPort()), srtp);
        final CompletableFuture<Sipp.Result> plainCall = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml",
            sipPort).key("rtpport", Integer.toString(plainPeerPort)).pauseMs(FRAMES * 20 + 800).run());
        final SipCall plain = connected(sessions, 1);
        plainPeer.sendTone(new InetSocketAddress("127.0.0.1", plain.rtpPort()), RtpPeer.PCMU, FRAMES,
            RtpPeer.SendPlan.inOrder());

        final Sipp.Result secureResult = secureCall.get(60, TimeUnit.SECONDS);
        final Sipp.Result plainResult = plainCall.get(60, TimeUnit.SECONDS);
        assertEquals(0, secureResult.exitCode, secureResult.describe());
        assertEquals(0, plainResult.exitCode, plainResult.describe());
        assertTrue(sessions.endedLatch.await(10, TimeUnit.SECONDS));

        // The tampered packet was dropped and counted, by the call and in the node's totals for /metrics.
        assertEquals(1, secure.srtp().droppedAuthFailed());
        assertEquals(0, secure.srtp().droppedReplayed());
        assertTrue(secure.srtp().rtpUnprotected() >= FRAMES - 30, "unprotected " + secure.srtp().rtpUnprotected());
        assertEquals(1, settledAuthFailures());

        // On the wire the echo is encrypted; libsrtp, keyed from the gateway's 200 OK, authenticates every packet.
        assertEquals(0, RtpPeer.toneIndices(securePeer.received).length, "no tone frame leaves the gateway in the clear");
        final String gatewayKey = gatewayKey(secureResult.messages, callerKey);
        final List<byte[]> decrypted = Libsrtp.unprotectRtp(SUITE, gatewayKey, new ArrayList<>(securePeer.received));
        assertFalse(decrypted.isEmpty());
        assertEquals(0, decrypted.stream().filter(d -> d == null).count(), "libsrtp refused none of the gateway's packets");
        final int[] echoed = RtpPeer.toneIndices(decrypted);
        assertIncreasing(echoed);
        final long distinct = Arrays.stream(echoed).distinct().count();
        assertTrue(distinct >= FRAMES * 3 / 4, "echoed " + distinct + " of " + FRAMES + " tone frames");
        assertFalse(Arrays.stream(echoed).anyMatch(i -> i == TAMPERED), "the tampered frame never reached the agent");

        // The plain call beside kept its audio and never touched SRTP.
        final long plainDistinct = Arrays.stream(plainPeer.echoedIndices()).distinct().count();
        assertTrue(plainDistinct >= FRAMES * 3 / 4, "plain call echoed " + plainDistinct + " of " + FRAMES);
        assertFalse(plain.srtp().active());
        assertEquals(0, plain.srtp().droppedAuthFailed());
    }

    @Test
    void shouldRekeyTheReceivingDirectionWhenAReInviteChangesTheCallersKey() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        assumeTrue(Libsrtp.available(), "python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)");
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort)
            .rtpPorts(rtpPorts, rtpPorts + 1).portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        securePeer = new RtpPeer(securePeerPort);
        final String firstKey = randomKey();
        final String secondKey = randomKey();
        final List<byte[]> before = new ArrayList<>();
        final List<byte[]> after = new ArrayList<>();
        for (int i = 0; i < 140; i++) {
            (i < 80 ? before : after).add(RtpPeer.packet(RtpPeer.PCMU, i, 0x5EC0_0002, false, RtpPeer.tone(i)));
        }
        final CompletableFuture<Sipp.Result> sipp = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-savp-rekey.xml",
            sipPort).key("rtpport", Integer.toString(securePeerPort)).key("crypto", firstKey).key("crypto2", secondKey)
            .pauseMs(2_500).run());
        final SipCall call = connected(sessions, 0);
        final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", call.rtpPort());
        securePeer.sendDatagrams(gateway, Libsrtp.protectRtp(SUITE, firstKey, before));
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (call.srtp().rekeys() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(1, call.srtp().rekeys(), "the re-INVITE's new key rekeyed the call");
        securePeer.sendDatagrams(gateway, Libsrtp.protectRtp(SUITE, secondKey, after));
        final Sipp.Result r = sipp.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(10, TimeUnit.SECONDS));

        assertEquals(0, call.srtp().droppedAuthFailed(), "packets under either key were authenticated in their phase");
        assertTrue(call.srtp().rtpUnprotected() >= 120, "unprotected " + call.srtp().rtpUnprotected());
        // Our own key stays across the re-INVITE, so one key decrypts the whole echo, from both phases.
        final String gatewayKey = gatewayKey(r.messages, firstKey, secondKey);
        final List<byte[]> decrypted = Libsrtp.unprotectRtp(SUITE, gatewayKey, new ArrayList<>(securePeer.received));
        assertEquals(0, decrypted.stream().filter(d -> d == null).count());
        final int[] echoed = RtpPeer.toneIndices(decrypted);
        assertTrue(Arrays.stream(echoed).anyMatch(i -> i < 80) && Arrays.stream(echoed).anyMatch(i -> i >= 100),
            "echo from before and after the rekey: " + Arrays.toString(echoed));
    }

    private static String randomKey() {
        final byte[] keyAndSalt = new byte[30];
        new SecureRandom().nextBytes(keyAndSalt);
        return Base64.getEncoder().encodeToString(keyAndSalt);
    }

    /** The {@code index}-th call once its agent connected (media started), waited for up to 10 s. */
    private static SipCall connected(final ScriptedAgents sessions, final int index) throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (sessions.opened.size() > index && sessions.opened.get(index).call != null) {
                return sessions.opened.get(index).call;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("call " + index + " never connected");
    }

    /** The node's SRTP authentication failures once every call has published its share (at teardown). */
    private long settledAuthFailures() throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((edge.activeCalls() != 0 || edge.rtpTotals().srtpDroppedAuthFailed() == 0) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return edge.rtpTotals().srtpDroppedAuthFailed();
    }

    /** The key in the gateway's answers: the SIPp message log's inline keys that are not the caller's. */
    private static String gatewayKey(final String messages, final String... callerKeys) {
        final Matcher m = INLINE_KEY.matcher(messages);
        String found = null;
        while (m.find()) {
            if (!List.of(callerKeys).contains(m.group(1))) {
                assertTrue(found == null || found.equals(m.group(1)), "the gateway keeps one key per call");
                found = m.group(1);
            }
        }
        assertNotNull(found, "the 200 OK carries the gateway's a=crypto key");
        return found;
    }

    private static void assertIncreasing(final int[] indices) {
        for (int i = 1; i < indices.length; i++) {
            assertTrue(indices[i] >= indices[i - 1], "echoed frames out of order at " + i + ": " + indices[i - 1] + " then "
                + indices[i]);
        }
    }
}
