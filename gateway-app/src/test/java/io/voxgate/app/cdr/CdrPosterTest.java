package io.voxgate.app.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CdrPosterTest {
    private static final byte[] SECRET = "cdr-secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"callId\":\"CA1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignTheTimestampDotBodyWithHmacSha256() throws Exception {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        final String expected = HexFormat.of().formatHex(mac.doFinal("1733400000.{\"callId\":\"CA1\"}"
            .getBytes(StandardCharsets.UTF_8)));

        assertEquals("t=1733400000,v1=" + expected, CdrPoster.sign(SECRET, 1_733_400_000L, BODY));
    }

    @Test
    void shouldChangeTheSignatureWithTheTimeSoAnOldOneCannotBeReplayedAsNew() {
        assertNotEquals(CdrPoster.sign(SECRET, 1_733_400_000L, BODY).split(",v1=")[1],
            CdrPoster.sign(SECRET, 1_733_400_001L, BODY).split(",v1=")[1]);
    }

    @Test
    void shouldTakeHttpsAnywhereAndHttpOnlyToLoopback() {
        CdrPoster.checkUrl(URI.create("https://cdr.example.com/records"));
        CdrPoster.checkUrl(URI.create("http://127.0.0.1:8081/cdr"));
        CdrPoster.checkUrl(URI.create("http://[::1]:8081/cdr"));
        CdrPoster.checkUrl(URI.create("http://localhost:8081/cdr"));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CdrPoster.checkUrl(URI.create("http://cdr.example.com/records")));
        assertTrue(ex.getMessage().startsWith("--cdr-url: "), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CdrPoster.checkUrl(URI.create("http://10.0.0.1/records")));
        assertThrows(IllegalArgumentException.class, () -> CdrPoster.checkUrl(URI.create("ftp://cdr.example.com/")));
    }
}
