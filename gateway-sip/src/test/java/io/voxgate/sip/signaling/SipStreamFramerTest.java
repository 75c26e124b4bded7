package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-message size cap over a SIP stream, framed as jain-sip frames it. */
class SipStreamFramerTest {
    private static final int CAP = 1_000;

    private static byte[] message(final int declaredBody, final int sentBody) {
        final byte[] head = ("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: " + declaredBody + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] out = Arrays.copyOf(head, head.length + sentBody);
        Arrays.fill(out, head.length, out.length, (byte) 'b');
        return out;
    }

    private static byte[] concat(final byte[]... parts) {
        int n = 0;
        for (final byte[] p : parts) {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int at = 0;
        for (final byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void shouldAcceptManyMessagesUnderTheCapInOneStreamWithKeepAlivesBetween() {
        final SipStreamFramer framer = new SipStreamFramer(CAP);
        final byte[] one = message(800, 800);
        final byte[] stream = concat(one, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), one, one);
        assertTrue(framer.accept(stream), "each message is counted on its own, not the stream");
    }

    @Test
    void shouldAcceptAMessageArrivingInSmallPieces() {
        final SipStreamFramer framer = new SipStreamFramer(CAP);
        final byte[] m = concat(message(900, 900), message(900, 900));
        for (int i = 0; i < m.length; i += 7) {
            assertTrue(framer.accept(Arrays.copyOfRange(m, i, Math.min(m.length, i + 7))));
        }
    }

    @Test
    void shouldRefuseADeclaredBodyOverTheCapBeforeItArrives() {
        assertFalse(new SipStreamFramer(CAP).accept(message(CAP, 0)));
        assertFalse(new SipStreamFramer(CAP).accept(message(2_000_000_000, 0)), "no allocation of the lie");
        assertFalse(new SipStreamFramer(CAP).accept("OPTIONS x SIP/2.0\r\nContent-Length: 99999999999999999999\r\n"
            .getBytes(StandardCharsets.US_ASCII)), "a number too long to read is over the cap");
    }

    @Test
    void shouldRefuseHeadersAloneOverTheCap() {
        final byte[] header = ("X-Long: " + "a".repeat(CAP) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertFalse(new SipStreamFramer(CAP).accept(concat("OPTIONS x SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII), header)));
    }

    @Test
    void shouldRefuseTheSecondMessageOnlyWhenItIsTheOneOverTheCap() {
        final SipStreamFramer framer = new SipStreamFramer(CAP);
        assertTrue(framer.accept(message(900, 900)));
        assertFalse(framer.accept(message(CAP + 1, 0)));
    }
}
