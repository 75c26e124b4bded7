package io.voxgate.sip.hep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.voxgate.testkit.hep.Hep3Packet;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Hep3EncoderTest {
    private static final byte[] INVITE = "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\nCall-ID: abc@host\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    private static Hep3Packet roundTrip(final byte[] source, final byte[] destination, final boolean tcp, final byte[] callId) {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[Hep3Encoder.MAX_PACKET_LENGTH + 16]);
        final int n = Hep3Encoder.encode(out, 16, source, 5060, destination, 40_000, tcp, 1_733_400_000_123_456L, 2001, callId,
            INVITE, INVITE.length);
        assertEquals(Hep3Encoder.length(source.length, callId.length, INVITE.length), n);
        final byte[] packet = new byte[n];
        out.getBytes(16, packet);
        return Hep3Packet.decode(packet, n);
    }

    @Test
    void shouldCarryAnIpv4UdpSipMessageInTheGenericChunks() throws Exception {
        final Hep3Packet p = roundTrip(new byte[] {127, 0, 0, 1}, new byte[] {10, 1, 2, 3}, false,
            Hep3Encoder.correlationId("abc@host"));

        assertEquals(Hep3Encoder.FAMILY_IPV4, p.number(Hep3Encoder.IP_FAMILY));
        assertEquals(Hep3Encoder.PROTOCOL_UDP, p.number(Hep3Encoder.IP_PROTOCOL));
        assertEquals(InetAddress.getByName("127.0.0.1"), p.address(Hep3Encoder.IPV4_SOURCE));
        assertEquals(InetAddress.getByName("10.1.2.3"), p.address(Hep3Encoder.IPV4_DESTINATION));
        assertEquals(5060, p.number(Hep3Encoder.SOURCE_PORT));
        assertEquals(40_000, p.number(Hep3Encoder.DESTINATION_PORT));
        assertEquals(1_733_400_000L, p.number(Hep3Encoder.TIMESTAMP_SECONDS));
        assertEquals(123_456, p.number(Hep3Encoder.TIMESTAMP_MICROS));
        assertEquals(Hep3Encoder.PROTOCOL_TYPE_SIP, p.number(Hep3Encoder.PROTOCOL_TYPE));
        assertEquals(2001, p.number(Hep3Encoder.CAPTURE_ID));
        assertEquals("abc@host", p.text(Hep3Encoder.CORRELATION_ID));
        assertEquals(new String(INVITE, StandardCharsets.US_ASCII), p.text(Hep3Encoder.PAYLOAD));
    }

    @Test
    void shouldUseTheIpv6ChunksAndTcpForAnIpv6StreamMessage() throws Exception {
        final byte[] loopback6 = InetAddress.getByName("::1").getAddress();
        final Hep3Packet p = roundTrip(loopback6, loopback6, true, new byte[0]);

        assertEquals(Hep3Encoder.FAMILY_IPV6, p.number(Hep3Encoder.IP_FAMILY));
        assertEquals(Hep3Encoder.PROTOCOL_TCP, p.number(Hep3Encoder.IP_PROTOCOL));
        assertEquals(InetAddress.getByName("::1"), p.address(Hep3Encoder.IPV6_SOURCE));
        assertEquals(InetAddress.getByName("::1"), p.address(Hep3Encoder.IPV6_DESTINATION));
        assertFalse(p.has(Hep3Encoder.IPV4_SOURCE));
        assertEquals(InetAddress.getByName("::1"), p.source());
    }

    @Test
    void shouldLeaveTheCorrelationChunkOutWithoutACallId() {
        final Hep3Packet p = roundTrip(new byte[] {127, 0, 0, 1}, new byte[] {127, 0, 0, 1}, false, new byte[0]);

        assertFalse(p.has(Hep3Encoder.CORRELATION_ID));
    }
}
