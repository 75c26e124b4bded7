package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voxgate.sip.signaling.RejectReason;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole SIP edge refuses an offer whose media would go to more than one host (issue 11: a reflection and
 * amplification tool otherwise) with 488, before admission: no agent, no port bound, nothing sent. Traffic stays on
 * loopback even if the edge were faulty, as media waits for the ACK of a 200 and the only ACK sent here is the one a
 * 488 asks for.
 */
class SipNonUnicastMediaIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private SipEdge edge;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.stop();
        }
    }

    @ParameterizedTest(name = "c={0} rtcp={1}")
    @CsvSource({"224.0.0.1, 127.0.0.1", "255.255.255.255, 127.0.0.1", "127.0.0.1, 239.1.2.3", "127.0.0.1, 255.255.255.255"})
    void shouldRefuseMulticastAndBroadcastMediaWith488BeforeBindingAnything(final String connection, final String rtcp) {
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 0);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 1)
            .portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        final Sipp.Result r = Sipp.scenario("uac-non-unicast.xml", sipPort).key("caddr", connection).key("rtcpaddr", rtcp)
            .key("rtpport", "36000").key("rtcpport", "36001").run();
        assertEquals(0, r.exitCode, "488 to the INVITE: " + r.describe());
        assertEquals(1, edge.signalingCounters().rejected(RejectReason.MEDIA), "counted as a media refusal");
        assertEquals(0, edge.callsAdmitted(), "never admitted");
        assertEquals(0, sessions.opened.size(), "no agent opened");
        assertEquals(0, edge.rtpPortsInUse(), "no RTP port bound");
        assertEquals(0, sessions.registry.size(), "the registry holds no call");
    }
}
