package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.sip.sdp.NegotiatedSrtp;
import io.voxgate.sip.sdp.SrtpPolicy;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --srtp} at the signalling edge, against SIPp over loopback: SAVP answered with our key, plain refused when required. */
class SipSrtpSignalingIT {
    /** The caller's master key and salt in the SIPp offer: 30 octets 0x01..0x1e. */
    private static final String CALLER_KEY = Base64.getEncoder().encodeToString(bytes(30));

    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    private RecordingCallHandler start(final int expectedCalls, final SrtpPolicy srtp) {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final RecordingCallHandler handler = new RecordingCallHandler(expectedCalls);
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 7, 2,
            SignalingPolicy.builder().srtp(srtp).build()), handler);
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
    void shouldAnswerASavpOfferWithSavpTheFirstCryptoLineAndTheGatewaysOwnKey() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SrtpPolicy.OPTIONAL);
        final Sipp.Result r = Sipp.scenario("uac-savp.xml", sipPort).key("rtpport", "36000").key("crypto", CALLER_KEY)
            .pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));
        final NegotiatedSrtp srtp = handler.answered.get(handler.admitted.get(0).callId()).srtp();
        assertNotNull(srtp, "a SAVP call must carry SRTP keys to the media path");
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, srtp.suite());
        assertEquals(CALLER_KEY, srtp.remoteKey().base64());
        assertFalse(srtp.localKey().sameAs(srtp.remoteKey()), "the gateway sends its own key, never an echo of the offer's");
        assertTrue(r.messages.contains("inline:" + srtp.localKey().base64()), "the 200 carries the gateway's key");
    }

    @Test
    void shouldRefuseAPlainOfferWith488AndCountItWhenSrtpIsRequired() {
        final RecordingCallHandler handler = start(0, SrtpPolicy.REQUIRED);
        final Sipp.Result r = Sipp.scenario("uac-srtp-required.xml", sipPort).key("rtpport", "36000").run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(0, handler.admitted.size(), "no port is reserved for a call that cannot be carried");
        assertEquals(1, signaling.counters().rejected(RejectReason.SRTP_REQUIRED));
        assertEquals(0, signaling.counters().rejected(RejectReason.MEDIA));
        assertEquals(1, signaling.counters().responses(488));
    }

    @Test
    void shouldAnswerASavpOfferWhenSrtpIsRequired() throws InterruptedException {
        final RecordingCallHandler handler = start(1, SrtpPolicy.REQUIRED);
        final Sipp.Result r = Sipp.scenario("uac-savp.xml", sipPort).key("rtpport", "36000").key("crypto", CALLER_KEY)
            .pauseMs(100).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));
        assertEquals(0, signaling.counters().rejected(RejectReason.SRTP_REQUIRED));
    }

    private static byte[] bytes(final int n) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }
}
