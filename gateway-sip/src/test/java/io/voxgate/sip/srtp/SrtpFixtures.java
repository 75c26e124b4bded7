package io.voxgate.sip.srtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Properties;
import org.agrona.concurrent.UnsafeBuffer;

/** The RFC 3711 Appendix B vectors from the test resources, and packets to protect. */
final class SrtpFixtures {
    private static final Properties VECTORS = load();

    private SrtpFixtures() {
    }

    static byte[] vector(final String name) {
        final String value = VECTORS.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no vector " + name);
        }
        return HexFormat.of().parseHex(value);
    }

    /** A master key with octets 0..29, for tests that need any fixed key. */
    static SrtpMasterKey key(final int seed) {
        final byte[] bytes = new byte[SrtpMasterKey.LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return SrtpMasterKey.of(bytes);
    }

    /** A 172-octet PCMU RTP packet in a buffer with room for a trailer. */
    static byte[] rtp(final int sequence, final int ssrc) {
        final byte[] packet = new byte[12 + 160];
        final UnsafeBuffer b = new UnsafeBuffer(packet);
        b.putByte(0, (byte) 0x80);
        b.putByte(1, (byte) 0);
        b.putShort(2, (short) sequence, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(4, sequence * 160, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(8, ssrc, java.nio.ByteOrder.BIG_ENDIAN);
        for (int i = 12; i < packet.length; i++) {
            packet[i] = (byte) (sequence + i);
        }
        return packet;
    }

    /** A receiver report with one report block (32 octets). */
    static byte[] rtcp(final int ssrc, final int seed) {
        final byte[] packet = new byte[32];
        final UnsafeBuffer b = new UnsafeBuffer(packet);
        b.putByte(0, (byte) 0x81);
        b.putByte(1, (byte) 201);
        b.putShort(2, (short) 7, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(4, ssrc, java.nio.ByteOrder.BIG_ENDIAN);
        for (int i = 8; i < packet.length; i++) {
            packet[i] = (byte) (seed * 31 + i);
        }
        return packet;
    }

    private static Properties load() {
        try (InputStream in = SrtpFixtures.class.getResourceAsStream("/srtp/rfc3711-appendix-b.properties")) {
            final Properties p = new Properties();
            p.load(in);
            return p;
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
