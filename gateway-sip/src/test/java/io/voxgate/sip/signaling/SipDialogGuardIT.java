package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's gates shown end to end over raw UDP (SIPp cannot send from a second address): an in-dialog request from
 * another address or with another tag belongs to no dialog (481) and changes nothing; {@code --sip-require-header}
 * refuses an INVITE without the header with 403; refusals outside a dialog carry a To tag.
 */
class SipDialogGuardIT {
    private static final Pattern TO_TAG = Pattern.compile("(?m)^To: [^\\r\\n]*;tag=\\S+");

    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    private RecordingCallHandler start(final SignalingPolicy policy) {
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("0.0.0.0", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2, policy), handler);
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
    void shouldAnswer481AndKeepTheCallWhenAnotherSenderOrAnotherTagUsesItsDialog() throws Exception {
        final RecordingCallHandler handler = start(SignalingPolicy.defaults());
        try (RawSipPeer caller = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort);
             RawSipPeer stranger = new RawSipPeer("127.0.0.2", "127.0.0.1", sipPort)) {
            final String invite = caller.invite("guard-1", "127.0.0.1", "", "127.0.0.1", 36_000);
            caller.send(invite);
            final String ok = caller.receiveStatus(200, 5_000);
            assertNotNull(ok);
            caller.send(caller.inDialog(invite, ok, "ACK", 1, "guard-ack", ""));
            assertTrue(handler.answeredLatch.await(5, TimeUnit.SECONDS));

            // The right Call-ID and both tags, from another address: a stranger who read the dialog off the wire.
            stranger.send(stranger.inDialog(invite, ok, "BYE", 2, "stranger-bye", ""));
            assertEquals(481, RawSipPeer.status(stranger.receiveStatus(481, 2_000)));
            stranger.send(stranger.inDialog(invite, ok, "INVITE", 3, "stranger-reinvite", "Contact: <sip:x@127.0.0.2>\r\n"));
            assertEquals(481, RawSipPeer.status(stranger.receiveStatus(481, 2_000)));
            stranger.send(stranger.inDialog(invite, ok, "UPDATE", 4, "stranger-update", "Contact: <sip:x@127.0.0.2>\r\n"));
            assertEquals(481, RawSipPeer.status(stranger.receiveStatus(481, 2_000)));
            assertEquals(3, signaling.counters().rejected(RejectReason.DIALOG_SENDER));

            // The caller's own address with a guessed To tag: no such dialog (jain-sip answers this 481 itself).
            final String wrongTag = ok.replaceFirst("(?m)^(To: [^\\r\\n]*;tag=)\\S+", "$1guessed");
            caller.send(caller.inDialog(invite, wrongTag, "BYE", 5, "guessed-bye", ""));
            assertEquals(481, RawSipPeer.status(caller.receiveStatus(481, 2_000)));

            assertTrue(handler.ended.isEmpty(), "no stranger ended the call: " + handler.ended);
            assertTrue(handler.mediaChanges.isEmpty(), "no stranger moved the media");
            assertEquals(1, signaling.activeDialogs());

            caller.send(caller.inDialog(invite, ok, "BYE", 6, "caller-bye", ""));
            assertEquals(200, RawSipPeer.status(caller.receiveStatus(200, 2_000)));
            assertTrue(handler.endedLatch.await(5, TimeUnit.SECONDS));
            assertEquals("caller hung up", handler.ended.values().iterator().next());
        }
    }

    @Test
    void shouldRefuseAnInviteWithoutTheRequiredHeaderWith403() throws IOException {
        final RecordingCallHandler handler = start(SignalingPolicy.builder().requireHeader("X-Twilio-AccountSid", "AC0123").build());
        try (RawSipPeer caller = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            caller.send(caller.invite("required-none", "127.0.0.1", "", "127.0.0.1", 36_000));
            final String none = caller.receive(2_000);
            assertNotNull(none);
            assertEquals(403, RawSipPeer.status(none), none);
            assertTrue(TO_TAG.matcher(none).find(), none);
            caller.send(caller.invite("required-wrong", "127.0.0.1", "X-Twilio-AccountSid: AC9999\r\n", "127.0.0.1", 36_000));
            assertEquals(403, RawSipPeer.status(caller.receive(2_000)));
            assertEquals(2, signaling.counters().rejected(RejectReason.REQUIRED_HEADER));
            assertTrue(handler.admitted.isEmpty(), "nothing admitted without the header");
            caller.send(caller.invite("required-right", "127.0.0.1", "X-Twilio-AccountSid: AC0123\r\n", "127.0.0.1", 36_000));
            assertEquals(200, RawSipPeer.status(caller.receiveStatus(200, 5_000)));
            assertEquals(1, handler.admitted.size());
        }
    }

    @Test
    void shouldPutAToTagOnA488() throws IOException {
        start(SignalingPolicy.defaults());
        try (RawSipPeer caller = new RawSipPeer("127.0.0.1", "127.0.0.1", sipPort)) {
            caller.send(caller.invite("totag-488", "127.0.0.1", "", "224.0.0.1", 36_000));
            final String refusal = caller.receiveStatus(488, 2_000);
            assertNotNull(refusal);
            assertTrue(TO_TAG.matcher(refusal).find(), refusal);
        }
    }
}
