package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha1Test {
    @Test
    void shouldMatchRfc2202TestCase2() {
        final HmacSha1 hmac = new HmacSha1("Jefe".getBytes(StandardCharsets.US_ASCII));
        final byte[] message = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[20];
        hmac.start();
        hmac.update(message, 0, message.length);
        hmac.finish(out, 0);
        assertArrayEquals(HexFormat.of().parseHex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"), out);
    }

    @Test
    void shouldMatchTheJdkMacOverRepeatedMessages() throws Exception {
        final byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        final HmacSha1 hmac = new HmacSha1(key);
        final Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        final byte[] out = new byte[24];
        for (int length = 0; length < 200; length += 13) {
            final byte[] message = new byte[length];
            Arrays.fill(message, (byte) length);
            hmac.start();
            hmac.update(message, 0, length);
            hmac.finish(out, 4);
            assertArrayEquals(jdk.doFinal(message), Arrays.copyOfRange(out, 4, 24), "length " + length);
        }
    }
}
