package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AesCounterKeystreamTest {
    private final AesCounterKeystream keystream =
        new AesCounterKeystream(SrtpFixtures.vector("b2.sessionKey"), SrtpFixtures.vector("b2.sessionSalt"));

    @Test
    void shouldProduceTheRfc3711AppendixB2KeystreamAtTheStartOfTheSegment() {
        final byte[] out = new byte[48];
        keystream.generate(0, 0, 0, 3, out);
        for (int block = 0; block < 3; block++) {
            assertArrayEquals(SrtpFixtures.vector("b2.block.000" + block),
                Arrays.copyOfRange(out, block * 16, block * 16 + 16), "block " + block);
        }
    }

    @Test
    void shouldProduceTheRfc3711AppendixB2KeystreamAtTheEndOfTheSegment() {
        final byte[] out = new byte[48];
        keystream.generate(0, 0, 0xFEFF, 3, out);
        final String[] counters = {"FEFF", "FF00", "FF01"};
        for (int block = 0; block < 3; block++) {
            assertArrayEquals(SrtpFixtures.vector("b2.block." + counters[block]),
                Arrays.copyOfRange(out, block * 16, block * 16 + 16), "block " + counters[block]);
        }
    }

    @Test
    void shouldXorTheKeystreamOverAnUnalignedPayloadInPlace() {
        final byte[] zeros = new byte[3 + 37];
        keystream.apply(new UnsafeBuffer(zeros), 3, 37, 0, 0);
        final byte[] expected = HexFormat.of().parseHex("E03EAD0935C95E80E166B16DD92B4EB4"
            + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0");
        assertArrayEquals(expected, Arrays.copyOfRange(zeros, 3, 40));
        assertArrayEquals(new byte[3], Arrays.copyOfRange(zeros, 0, 3), "octets before the offset untouched");
    }

    @Test
    void shouldRestoreThePlaintextWhenAppliedTwice() {
        final byte[] data = SrtpFixtures.rtp(7, 0x1234);
        final byte[] original = data.clone();
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        keystream.apply(buffer, 12, 160, 0x1234, 7);
        keystream.apply(buffer, 12, 160, 0x1234, 7);
        assertArrayEquals(original, data);
    }
}
