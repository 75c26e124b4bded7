package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpAnswerTest {
    @Test
    void shouldTakeTheAudioPortAndConnectionAddress() {
        final SdpAnswer a = SdpAnswer.parse("v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 10002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n");
        assertEquals(new InetSocketAddress("127.0.0.1", 10002), a.rtp());
        assertTrue(a.pcmu());
    }

    @Test
    void shouldPreferTheAudioLinesOwnConnectionAddress() {
        final SdpAnswer a = SdpAnswer.parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8\nc=IN IP4 127.0.0.2\n");
        assertEquals(new InetSocketAddress("127.0.0.2", 4000), a.rtp());
        assertFalse(a.pcmu());
    }

    @Test
    void shouldRefuseAnAnswerWithoutAudioOrAddress() {
        assertNull(SdpAnswer.parse("v=0\r\nc=IN IP4 127.0.0.1\r\nm=video 4000 RTP/AVP 96\r\n"));
        assertNull(SdpAnswer.parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\n"));
        assertNull(SdpAnswer.parse("v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio x RTP/AVP 0\r\n"));
    }
}
