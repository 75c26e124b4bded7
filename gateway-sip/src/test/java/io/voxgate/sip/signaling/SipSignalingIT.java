package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.sdp.MediaDirection;
import io.voxgate.sip.sdp.NegotiatedMedia;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SIP signalling against SIPp over loopback, with a recording handler in place of the media edge. */
class SipSignalingIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    private RecordingCallHandler start(final int expectedCalls, final String allow, final long answerDelayMs,
                                       final String digestPassword) {
        return start(expectedCalls, allow, answerDelayMs, digestPassword, TimeUnit.MILLISECONDS);
    }

    private RecordingCallHandler start(final int expectedCalls, final String allow, final long answerDelayMs,
                                       final String digestPassword, final TimeUnit sessionTimerMilliUnit) {
        final RecordingCallHandler handler = new RecordingCallHandler(expectedCalls);
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tcp"), 0, null, null, null,
            SourceAllowList.parse(allow), digestPassword == null ? null : "voxgate.test", "trunk", digestPassword,
            answerDelayMs, 7, 2), handler, sessionTimerMilliUnit);
        signaling.start();
        return handler;
    }

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    @Test
    void shouldAnswerOptionsOverUdpAndTcp() {
        start(0, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result udp = Sipp.scenario("options.xml", sipPort).run();
        assertEquals(0, udp.exitCode, udp.describe());
        final Sipp.Result tcp = Sipp.scenario("options.xml", sipPort).transport("t1").run();
        assertEquals(0, tcp.exitCode, tcp.describe());
    }

    @Test
    void shouldAnswerATwilioStyleCallAndReportItsMediaMetadataAndEnd() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", "36000").pauseMs(200).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
        final InboundCall call = handler.admitted.get(0);
        assertTrue(call.metadata().get("X-Twilio-CallSid").startsWith("CA"), call.metadata().toString());
        assertEquals("<sip:+14155550000@twilio.com>", call.metadata().get("Diversion"));
        assertTrue(call.metadata().get("From").contains("+14155550199"));
        assertEquals(call.callId(), call.metadata().get("Call-ID"));
        final NegotiatedMedia media = handler.answered.get(call.callId());
        assertEquals(AudioFormat.MULAW_8K, media.callerFormat());
        assertEquals(new InetSocketAddress("127.0.0.1", 36000), media.remoteRtp());
        assertEquals(101, media.telephoneEventPayloadType());
        assertEquals("caller hung up", handler.ended.get(call.callId()));
        assertEquals(0, signaling.activeDialogs());
    }

    @Test
    void shouldAnswerOverTcpToo() {
        start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).transport("t1").key("rtpport", "36000").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
    }

    @Test
    void shouldSendByeWhenTheEdgeHangsUp() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null);
        handler.hangUpOnAnswer = signaling;
        final Sipp.Result r = Sipp.scenario("uac-remote-bye.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(0, handler.ended.size(), "an edge-initiated end is not reported back");
    }

    @Test
    void shouldRefuseAnOfferWithoutG711With488() {
        final RecordingCallHandler handler = start(0, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-488.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(0, handler.admitted.size(), "no port is reserved for a call that cannot be carried");
        assertEquals(1, signaling.invitesRejectedCodec());
    }

    @Test
    void shouldAnswerNothingToSourcesOutsideTheAllowList() {
        final RecordingCallHandler handler = start(0, "10.0.0.0/8,twilio", 0, null);
        final Sipp.Result r = Sipp.scenario("uac-outsider.xml", sipPort).key("rtpport", "36000").run();
        assertFalse(r.messages.contains("message received"), r.describe());
        assertEquals(0, r.statistic("FailedUnexpectedMessage(C)"), r.describe());
        assertEquals(0, handler.admitted.size());
        assertTrue(signaling.requestsRejectedSource() >= 1);
    }

    @Test
    void shouldRefuseWith503AndRetryAfterWhenTheEdgeIsFull() {
        final RecordingCallHandler handler = start(0, SourceAllowList.DEFAULT, 0, null);
        handler.rule = c -> Admission.reject(503, 7, "full");
        final Sipp.Result r = Sipp.scenario("uac-503.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(r.messages.contains("Retry-After: 7"), r.describe());
    }

    @Test
    void shouldRefuseNewCallsWith503WhileDraining() {
        start(0, SourceAllowList.DEFAULT, 0, null);
        signaling.draining(true);
        final Sipp.Result r = Sipp.scenario("uac-503.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
    }

    @Test
    void shouldAnswer487ToTheInviteWhenCancelledBeforeTheAnswer() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 3_000, null);
        final Sipp.Result r = Sipp.scenario("uac-cancel.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("caller cancelled", handler.ended.values().iterator().next());
        assertEquals(0, handler.answered.size());
    }

    @Test
    void shouldAnswerHoldAndResumeWithMirroredDirectionSameCodecAndPort() {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-hold.xml", sipPort).key("rtpport", "36000").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(2, handler.mediaChanges.size());
        assertEquals(MediaDirection.RECVONLY, handler.mediaChanges.get(0).localDirection());
        assertEquals(MediaDirection.SENDRECV, handler.mediaChanges.get(1).localDirection());
        assertTrue(r.messages.contains("m=audio 40000 RTP/AVP 0 101"), "same port in every answer");
    }

    @Test
    void shouldOfferInThe200AndTakeTheAnswerFromTheAckForAnInviteWithoutSdp() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-no-sdp.xml", sipPort).key("rtpport", "36002").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));
        final NegotiatedMedia media = handler.answered.values().iterator().next();
        assertEquals(new InetSocketAddress("127.0.0.1", 36002), media.remoteRtp());
        assertEquals(AudioFormat.MULAW_8K, media.callerFormat());
    }

    @Test
    void shouldAnswerPcmaOnlyOffersWithPcma() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-pcma.xml", sipPort).key("rtpport", "36000").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));
        assertEquals(AudioFormat.ALAW_8K, handler.answered.values().iterator().next().callerFormat());
    }

    @Test
    void shouldEchoSessionExpiresWithTheCallerAsRefresher() {
        start(1, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-session-timer.xml", sipPort).key("rtpport", "36000").pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
    }

    @Test
    void shouldEndTheSessionWithByeWhenTheCallerDoesNotRefresh() throws InterruptedException {
        // Session timers run 1000 times faster here: 90 s becomes 90 ms (RFC 4028 §10 ends it 30 ms early).
        final RecordingCallHandler handler = start(1, SourceAllowList.DEFAULT, 0, null, TimeUnit.MICROSECONDS);
        final Sipp.Result r = Sipp.scenario("uac-session-expire.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("session expired", handler.ended.values().iterator().next());
    }

    @Test
    void shouldRefreshTheSessionWithReInviteWhenAskedToBeTheRefresher() {
        start(1, SourceAllowList.DEFAULT, 0, null, TimeUnit.MICROSECONDS);
        final Sipp.Result r = Sipp.scenario("uac-session-refresh-by-gateway.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
    }

    @Test
    void shouldRefuseTooShortSessionExpiresWith422() {
        start(0, SourceAllowList.DEFAULT, 0, null);
        final Sipp.Result r = Sipp.scenario("uac-422.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
    }

    @Test
    void shouldChallengeAndThenAcceptDigestCredentials() {
        start(1, SourceAllowList.DEFAULT, 0, "s3cret-pass");
        final Sipp.Result r = Sipp.scenario("uac-auth.xml", sipPort).key("rtpport", "36000").pauseMs(100)
            .args("-au", "trunk", "-ap", "s3cret-pass").run();
        assertEquals(0, r.exitCode, r.describe());
        assertFalse(r.messages.contains("s3cret-pass"), "the password never travels");
    }

    @Test
    void shouldRefuseWrongDigestCredentials() {
        start(0, SourceAllowList.DEFAULT, 0, "s3cret-pass");
        final Sipp.Result r = Sipp.scenario("uac-auth.xml", sipPort).key("rtpport", "36000").pauseMs(100)
            .args("-au", "trunk", "-ap", "wrong").run();
        assertTrue(r.exitCode != 0, r.describe());
        assertTrue(signaling.requestsRejectedAuth() >= 2);
    }
}
