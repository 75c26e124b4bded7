package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's To tags on CANCEL and digest replays, as a strict peer sees them on the wire (raw UDP over loopback): the
 * 200 to a CANCEL and the 487 to the cancelled INVITE carry a To tag, the 487 the one the 180 carried (RFC 3261 §9.2,
 * §8.2.6.2); an Authorization replayed after its use is challenged afresh with {@code stale=TRUE} and a new nonce, and
 * admits nothing.
 */
class SipCancelAndDigestWireIT {
    private static final Pattern TAG = Pattern.compile(";tag=([^;>\\s]+)");
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    private RecordingCallHandler start(final long answerDelayMs, final String digestPassword) {
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), digestPassword == null ? null : "voxgate", "trunk", digestPassword,
            answerDelayMs, 5, 2), handler);
        signaling.start();
        return handler;
    }

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    private static String toTag(final String response) {
        final String to = RawSipPeer.header(response, "To");
        assertNotNull(to, response);
        final Matcher m = TAG.matcher(to);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void shouldTagThe200ToCancelAndThe487ToTheInviteWithTheTagOfTheRinging() throws Exception {
        final RecordingCallHandler handler = start(5_000, null);
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            final String invite = peer.invite("cancel-tags", "127.0.0.1", "", "127.0.0.1", 36_000);
            peer.send(invite);
            final String ringing = peer.receiveStatus(180, 5_000);
            assertNotNull(ringing, "the gateway rings while it delays its answer");
            final String ringingTag = toTag(ringing);
            assertNotNull(ringingTag, "the 180 carries a To tag: " + ringing);

            peer.send("CANCEL sip:+14155550100@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                + "Via: " + RawSipPeer.header(invite, "Via") + "\r\n"
                + "From: " + RawSipPeer.header(invite, "From") + "\r\n"
                + "To: " + RawSipPeer.header(invite, "To") + "\r\n"
                + "Call-ID: cancel-tags\r\n"
                + "CSeq: 1 CANCEL\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n");
            String cancelOk = null;
            String terminated = null;
            while (cancelOk == null || terminated == null) {
                final String m = peer.receive(5_000);
                assertNotNull(m, "both the 200 to the CANCEL and the 487 to the INVITE arrive");
                if (RawSipPeer.status(m) == 200 && "CANCEL".equals(RawSipPeer.cseqMethod(m))) {
                    cancelOk = m;
                } else if (RawSipPeer.status(m) == 487 && "INVITE".equals(RawSipPeer.cseqMethod(m))) {
                    terminated = m;
                }
            }
            assertNotNull(toTag(cancelOk), "the 200 to the CANCEL carries a To tag: " + cancelOk);
            assertEquals(ringingTag, toTag(terminated), "the 487 carries the tag of the 180: " + terminated);
            peer.send(peer.inDialog(invite, terminated, "ACK", 1, "cancel-tags-1", ""));
        }
        assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("caller cancelled", handler.ended.get("cancel-tags"));
    }

    @Test
    void shouldChallengeAReplayedAuthorizationAfreshWithStaleAndAdmitNothing() throws Exception {
        final RecordingCallHandler handler = start(0, "s3cret");
        try (RawSipPeer peer = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            final String first = peer.invite("digest-1", "127.0.0.1", "", "127.0.0.1", 36_000);
            peer.send(first);
            final String challenge = finalResponse(peer, "digest-1");
            assertEquals(401, RawSipPeer.status(challenge), challenge);
            peer.send(peer.inDialog(first, challenge, "ACK", 1, "digest-1-1", ""));
            final String nonce = nonce(challenge);
            final String authorization = authorization(nonce, "00000001");

            final String authorized = peer.invite("digest-2", "127.0.0.1", "Authorization: " + authorization + "\r\n",
                "127.0.0.1", 36_000);
            peer.send(authorized);
            final String ok = finalResponse(peer, "digest-2");
            assertEquals(200, RawSipPeer.status(ok), "the right credentials are accepted: " + ok);
            peer.send(peer.inDialog(authorized, ok, "ACK", 1, "digest-2-ack", ""));

            // Someone who captured the INVITE sends its Authorization again, with a call of their own.
            final String replay = peer.invite("digest-3", "127.0.0.1", "Authorization: " + authorization + "\r\n", "127.0.0.1",
                36_002);
            peer.send(replay);
            final String replayed = finalResponse(peer, "digest-3");
            assertEquals(401, RawSipPeer.status(replayed), replayed);
            peer.send(peer.inDialog(replay, replayed, "ACK", 1, "digest-3-1", ""));
            final String challengeAgain = RawSipPeer.header(replayed, "WWW-Authenticate");
            assertTrue(challengeAgain.toLowerCase(Locale.ROOT).contains("stale=true"), challengeAgain);
            assertNotEquals(nonce, nonce(replayed), "a fresh nonce");
            assertNotNull(toTag(replayed), "the 401 carries a To tag: " + replayed);
        }
        assertEquals(1, handler.admitted.size(), "only the authorized INVITE was admitted");
        assertEquals(1, signaling.counters().rejected(RejectReason.AUTHENTICATION_REPLAY));
    }

    /** The first final response for {@code callId} (provisional ones and other calls' retransmissions are read past). */
    private static String finalResponse(final RawSipPeer peer, final String callId) throws Exception {
        while (true) {
            final String m = peer.receive(5_000);
            assertNotNull(m, "no final response for " + callId);
            if (RawSipPeer.status(m) >= 200 && callId.equals(RawSipPeer.header(m, "Call-ID"))) {
                return m;
            }
        }
    }

    private static String nonce(final String response) {
        final Matcher m = NONCE.matcher(RawSipPeer.header(response, "WWW-Authenticate"));
        assertTrue(m.find(), response);
        return m.group(1);
    }

    /** RFC 2617 qop=auth credentials of user trunk, password s3cret, for an INVITE to the gateway's address. */
    private String authorization(final String nonce, final String nc) {
        final String uri = "sip:+14155550100@127.0.0.1:" + sipPort;
        final String cnonce = "0a4f113b";
        final String ha1 = DigestAuthenticator.md5Hex("trunk:voxgate:s3cret");
        final String ha2 = DigestAuthenticator.md5Hex("INVITE:" + uri);
        final String response = DigestAuthenticator.md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"trunk\", realm=\"voxgate\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\""
            + response + "\", algorithm=MD5, cnonce=\"" + cnonce + "\", qop=auth, nc=" + nc;
    }
}
