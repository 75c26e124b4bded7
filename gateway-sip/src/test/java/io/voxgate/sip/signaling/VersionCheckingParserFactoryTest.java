package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionCheckingParserFactoryTest {

    private static boolean sip20(final String message) {
        return VersionCheckingParserFactory.isSip20(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldReadTheVersionFromTheRawRequestLine() {
        assertTrue(sip20("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\n"));
        assertFalse(sip20("INVITE sip:a@b SIP/7.0\r\nVia: SIP/2.0/UDP x\r\n\r\n"));
        assertFalse(sip20("OPTIONS sip:a@b SIP/2.00\r\n\r\n"));
    }

    @Test
    void shouldSkipLeadingCrlfAndIgnoreTheLiteralsCase() {
        assertTrue(sip20("\r\n\r\nOPTIONS sip:a@b sip/2.0\r\n\r\n"));
    }
}
