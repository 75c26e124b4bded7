package io.voxgate.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MediaDirectionTest {

    @Test
    void shouldMirrorEveryDirectionPerRfc3264() {
        assertEquals(MediaDirection.SENDRECV, MediaDirection.SENDRECV.mirror());
        assertEquals(MediaDirection.RECVONLY, MediaDirection.SENDONLY.mirror());
        assertEquals(MediaDirection.SENDONLY, MediaDirection.RECVONLY.mirror());
        assertEquals(MediaDirection.INACTIVE, MediaDirection.INACTIVE.mirror());
    }

    @Test
    void shouldRoundTripAttributeNames() {
        for (final MediaDirection d : MediaDirection.values()) {
            assertEquals(d, MediaDirection.ofAttribute(d.attribute()));
        }
        assertNull(MediaDirection.ofAttribute("rtcp-mux"));
    }
}
