package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.Sipp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3262 (100rel/PRACK) against SIPp and a raw UDP caller: no 420 for 100rel, the ringing 180 sent reliably and
 * retransmitted until PRACKed, the PRACK answered, the 2xx held until the PRACK, and the INVITE refused when no
 * PRACK comes within 64*T1.
 */
class SipReliableProvisionalIT {
    private static final Logger LOG = LoggerFactory.getLogger(SipReliableProvisionalIT.class);
    /** The gateway rings this long before it answers. */
    private static final long ANSWER_DELAY_MS = 300;

    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    private RecordingCallHandler start(final long answerDelayMs, final int timerT1Ms) {
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tcp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, answerDelayMs, 5, 2,
            SignalingPolicy.builder().timerT1Ms(timerT1Ms).build()), handler);
        signaling.start();
        return handler;
    }

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uac-100rel-require.xml", "uac-100rel-supported.xml"})
    void shouldSendTheRingingReliablyAndAnswerAfterThePrack(final String scenario) throws InterruptedException {
        final RecordingCallHandler handler = start(ANSWER_DELAY_MS, 500);
        final Sipp.Result r = Sipp.scenario(scenario, sipPort).key("rtpport", "36000").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("caller hung up", handler.ended.values().iterator().next());
        assertEquals(0, signaling.counters().rejected(RejectReason.UNSUPPORTED_EXTENSION));
        assertEquals(1, signaling.counters().responses(180));
    }

    @Test
    void shouldAnswerARequire100relInviteWithoutRingingWhenItAnswersAtOnce() throws IOException {
        start(0, 500);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            peer.send(peer.invite("rel-at-once", "127.0.0.1", "Require: 100rel\r\n", "127.0.0.1", 36_000));
            String m;
            while ((m = peer.receive(5_000)) != null && RawSipPeer.status(m) < 200) {
                assertEquals(100, RawSipPeer.status(m), "no provisional response but 100 is sent: " + m);
            }
            assertNotNull(m, "no final response");
            assertEquals(200, RawSipPeer.status(m), m);
        }
    }

    @Test
    void shouldNameOnlyTheOtherTagsInUnsupportedWhen100relIsRequiredBesideThem() throws IOException {
        start(0, 500);
        final byte[] options = new String(RawSipClient.options("UDP", sipPort, "rel-options"), StandardCharsets.ISO_8859_1)
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRequire: 100rel, foo\r\n").getBytes(StandardCharsets.ISO_8859_1);
        final String response = new RawSipClient(sipPort, 2_000).udpResponse(options);
        assertNotNull(response);
        assertTrue(response.startsWith("SIP/2.0 420"), response);
        assertTrue(response.contains("Unsupported: foo"), response);
        assertFalse(response.contains("Unsupported: 100rel"), response);
        final String plain = new RawSipClient(sipPort, 2_000).udpResponse(new String(options, StandardCharsets.ISO_8859_1)
            .replace("Require: 100rel, foo\r\n", "Require: 100rel\r\n").replace("rel-options", "rel-options-2")
            .getBytes(StandardCharsets.ISO_8859_1));
        assertNotNull(plain);
        assertTrue(plain.startsWith("SIP/2.0 200"), plain);
        assertTrue(RawSipPeer.header(plain, "Supported").contains("100rel"), plain);
    }

    @Test
    void shouldRetransmitTheReliable180WithGrowingIntervalsAndHoldThe200UntilThePrack() throws Exception {
        final RecordingCallHandler handler = start(ANSWER_DELAY_MS, 500);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            final String invite = peer.invite("rel-retransmit", "127.0.0.1", "Require: 100rel\r\n", "127.0.0.1", 36_000);
            peer.send(invite);
            final String ringing = peer.receiveStatus(180, 5_000);
            final long firstNs = System.nanoTime();
            assertNotNull(ringing, "no 180");
            assertEquals("100rel", RawSipPeer.header(ringing, "Require"), ringing);
            final String rseq = RawSipPeer.header(ringing, "RSeq");
            assertNotNull(rseq, ringing);
            assertNotNull(RawSipPeer.header(ringing, "Contact"), "a reliable 180 sets up an early dialog: " + ringing);
            // Listen 2.5 s without a PRACK, far past the 300 ms answer delay: only 180 retransmissions may come.
            final List<Long> retransmittedMs = new ArrayList<>();
            final long untilNs = firstNs + TimeUnit.MILLISECONDS.toNanos(2_500);
            while (System.nanoTime() < untilNs) {
                final String m = peer.receive((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilNs - System.nanoTime())));
                if (m == null) {
                    break;
                }
                assertEquals(180, RawSipPeer.status(m), "nothing but the 180 before the PRACK: " + m);
                assertEquals(rseq, RawSipPeer.header(m, "RSeq"), "a retransmission keeps its RSeq");
                retransmittedMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstNs));
            }
            LOG.info("reliable 180 retransmitted at {} ms after the first", retransmittedMs);
            assertTrue(retransmittedMs.size() >= 2, "retransmitted until PRACKed: " + retransmittedMs);
            final long firstGap = retransmittedMs.get(0);
            final long secondGap = retransmittedMs.get(1) - retransmittedMs.get(0);
            assertTrue(firstGap >= 400, "first retransmission after T1 (500 ms): " + retransmittedMs);
            assertTrue(secondGap > firstGap, "intervals grow: " + retransmittedMs);
            assertTrue(handler.answered.isEmpty());

            peer.send(peer.inDialog(invite, ringing, "PRACK", 2, "rel-prack", "RAck: " + rseq + " 1 INVITE\r\n"));
            final String prackOk = peer.receiveStatus(200, 5_000);
            assertNotNull(prackOk, "no 200 for the PRACK");
            assertEquals("PRACK", RawSipPeer.cseqMethod(prackOk), prackOk);
            final String inviteOk = peer.receiveStatus(200, 5_000);
            assertNotNull(inviteOk, "the held 200 follows the PRACK");
            assertEquals("INVITE", RawSipPeer.cseqMethod(inviteOk), inviteOk);
            assertTrue(inviteOk.contains("m=audio 40000 RTP/AVP 0"), inviteOk);
            peer.send(peer.inDialog(invite, inviteOk, "ACK", 1, "rel-ack", ""));
            assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS), "the ACK confirms the call");
            assertNull(peer.receive(700), "no 180 after the PRACK, no 200 after the ACK");
        }
    }

    @Test
    void shouldKeepThe200HeldWhenThePrackAcknowledgesAnotherRseq() throws Exception {
        final RecordingCallHandler handler = start(ANSWER_DELAY_MS, 500);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            final String invite = peer.invite("rel-wrong-rack", "127.0.0.1", "Supported: 100rel\r\n", "127.0.0.1", 36_000);
            peer.send(invite);
            final String ringing = peer.receiveStatus(180, 5_000);
            assertNotNull(ringing, "no 180");
            final long rseq = Long.parseLong(RawSipPeer.header(ringing, "RSeq").trim());
            peer.send(peer.inDialog(invite, ringing, "PRACK", 2, "rel-wrong", "RAck: " + (rseq + 7) + " 1 INVITE\r\n"));
            final long untilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
            while (System.nanoTime() < untilNs) {
                final String m = peer.receive(200);
                if (m != null) {
                    assertEquals(180, RawSipPeer.status(m), "a PRACK for another RSeq is not answered and frees no 200: " + m);
                }
            }
            peer.send(peer.inDialog(invite, ringing, "PRACK", 3, "rel-right", "RAck: " + rseq + " 1 INVITE\r\n"));
            final String inviteOk = peer.receiveStatus(200, 5_000);
            assertNotNull(inviteOk);
            final String okFor = RawSipPeer.cseqMethod(inviteOk);
            final String second = "PRACK".equals(okFor) ? peer.receiveStatus(200, 5_000) : inviteOk;
            assertNotNull(second);
            assertEquals("INVITE", RawSipPeer.cseqMethod(second), second);
            peer.send(peer.inDialog(invite, second, "ACK", 1, "rel-ack2", ""));
            assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldNotRingAnOfferlessInviteThatRequires100relAndRingPlainlyWhenItIsOnlySupported() throws IOException {
        start(ANSWER_DELAY_MS, 500);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            // A reliable 180 would have to carry the gateway's offer (RFC 3262 §5): none is sent, the 200 offers.
            peer.send(peer.inviteWithoutOffer("rel-offerless-require", "127.0.0.1", "Require: 100rel\r\n"));
            String m;
            while ((m = peer.receive(5_000)) != null && RawSipPeer.status(m) < 200) {
                assertEquals(100, RawSipPeer.status(m), "no 180 for an offerless INVITE requiring 100rel: " + m);
            }
            assertNotNull(m);
            assertEquals(200, RawSipPeer.status(m), m);
            assertTrue(m.contains("m=audio 40000 RTP/AVP"), "the 200 carries the offer: " + m);
        }
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            peer.send(peer.inviteWithoutOffer("rel-offerless-supported", "127.0.0.1", "Supported: 100rel\r\n"));
            final String ringing = peer.receiveStatus(180, 5_000);
            assertNotNull(ringing);
            assertNull(RawSipPeer.header(ringing, "RSeq"), "a plain 180: " + ringing);
            final String ok = peer.receiveStatus(200, 5_000);
            assertNotNull(ok, "answered without a PRACK");
            assertEquals("INVITE", RawSipPeer.cseqMethod(ok));
        }
    }

    @Test
    void shouldRefuseTheInviteWith500WhenTheReliable180IsNeverPracked() throws Exception {
        // T1 = 50 ms: 64*T1 is 3.2 s.
        final RecordingCallHandler handler = start(ANSWER_DELAY_MS, 50);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            peer.send(peer.invite("rel-no-prack", "127.0.0.1", "Require: 100rel\r\n", "127.0.0.1", 36_000));
            assertNotNull(peer.receiveStatus(180, 5_000), "no 180");
            String m;
            while ((m = peer.receive(5_000)) != null && RawSipPeer.status(m) == 180) {
                // Retransmissions of the unPRACKed 180.
            }
            assertNotNull(m, "no final response");
            assertEquals(500, RawSipPeer.status(m), m);
            assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
            assertEquals("no PRACK", handler.ended.values().iterator().next());
            assertTrue(handler.answered.isEmpty());
            assertEquals(1, signaling.counters().rejected(RejectReason.PRACK_TIMEOUT));
            assertEquals(0, signaling.activeDialogs());
        }
    }
}
