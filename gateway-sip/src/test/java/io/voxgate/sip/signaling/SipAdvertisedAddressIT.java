package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without {@code --external-ip}, on a listener bound to the wildcard address, the answer names the local address the
 * INVITE arrived on, in SDP ({@code c=}, {@code o=}) and in Contact: a caller reaching 127.0.0.2 is answered with
 * 127.0.0.2, not the host's first address (issue 11: baresip calling 127.0.0.1 heard nothing).
 */
class SipAdvertisedAddressIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2"})
    void shouldNameTheAddressTheInviteArrivedOnInSdpAndContact(final String arrivedOn) throws IOException {
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("0.0.0.0", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2), handler);
        signaling.start();
        try (RawSipPeer peer = new RawSipPeer(arrivedOn, arrivedOn, sipPort)) {
            final String invite = peer.invite("adv-" + arrivedOn, arrivedOn, "", arrivedOn, 36_000);
            peer.send(invite);
            final String ok = peer.receiveStatus(200, 5_000);
            assertNotNull(ok, "no 200 OK");
            assertTrue(ok.contains("\r\nc=IN IP4 " + arrivedOn + "\r\n"), ok);
            assertTrue(ok.contains(" IN IP4 " + arrivedOn + "\r\ns="), "o= names it too: " + ok);
            assertEquals("<sip:voxgate@" + arrivedOn + ":" + sipPort + ">", RawSipPeer.header(ok, "Contact"), ok);
            peer.send(peer.inDialog(invite, ok, "ACK", 1, "adv-ack", ""));
            assertEquals(1, handler.admitted.size());
        }
    }
}
