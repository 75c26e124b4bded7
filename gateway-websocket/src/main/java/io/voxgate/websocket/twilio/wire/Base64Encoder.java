package io.voxgate.websocket.twilio.wire;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes bytes as standard base64 (RFC 4648 §4, {@code =} padding) straight into a Netty or Agrona buffer: no
 * {@code String}, no array per call.
 *
 * <p>Stateless; safe on any thread. Ownership: reads {@code src}, writes {@code dst}; keeps neither.
 */
public final class Base64Encoder {
    private static final byte[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Base64Encoder() {
    }

    /** Characters that {@code length} bytes encode to, padding included. */
    public static int encodedLength(final int length) {
        return (length + 2) / 3 * 4;
    }

    /**
     * Appends the base64 of {@code length} bytes of {@code src} at {@code offset} to {@code dst} at its writer index.
     *
     * @return the characters written
     */
    public static int encode(final DirectBuffer src, final int offset, final int length, final ByteBuf dst) {
        final int encoded = encodedLength(length);
        dst.ensureWritable(encoded);
        int out = dst.writerIndex();
        int in = offset;
        final int end = offset + length - length % 3;
        // Six input bytes per 8-byte load and eight characters per store while a whole load fits in the input.
        while (in + 8 <= offset + length) {
            final long six = src.getLong(in, ByteOrder.BIG_ENDIAN);
            dst.setLong(out, sextets((int) (six >>> 40)) << 32 | sextets((int) (six >>> 16) & 0xFFFFFF) & 0xFFFFFFFFL);
            in += 6;
            out += 8;
        }
        while (in < end) {
            final int bits = ((src.getByte(in) & 0xFF) << 16) | ((src.getByte(in + 1) & 0xFF) << 8) | (src.getByte(in + 2) & 0xFF);
            dst.setInt(out, (ALPHABET[bits >>> 18] << 24) | (ALPHABET[(bits >>> 12) & 0x3F] << 16)
                | (ALPHABET[(bits >>> 6) & 0x3F] << 8) | ALPHABET[bits & 0x3F]);
            in += 3;
            out += 4;
        }
        final int rest = length % 3;
        if (rest == 1) {
            final int b0 = src.getByte(in) & 0xFF;
            dst.setInt(out, (ALPHABET[b0 >>> 2] << 24) | (ALPHABET[(b0 & 0x03) << 4] << 16) | ('=' << 8) | '=');
        } else if (rest == 2) {
            final int bits = ((src.getByte(in) & 0xFF) << 8) | (src.getByte(in + 1) & 0xFF);
            dst.setInt(out, (ALPHABET[bits >>> 10] << 24) | (ALPHABET[(bits >>> 4) & 0x3F] << 16)
                | (ALPHABET[(bits & 0x0F) << 2] << 8) | '=');
        }
        dst.writerIndex(dst.writerIndex() + encoded);
        return encoded;
    }

    /** The four base64 characters of the 24 bits in {@code bits}, first character in the high byte. */
    private static long sextets(final int bits) {
        return (ALPHABET[bits >>> 18] << 24) | (ALPHABET[(bits >>> 12) & 0x3F] << 16) | (ALPHABET[(bits >>> 6) & 0x3F] << 8)
            | ALPHABET[bits & 0x3F];
    }

    /**
     * Writes the base64 of {@code length} bytes of {@code src} at {@code offset} into {@code dst} at {@code dstOffset}.
     *
     * @return the characters written
     * @throws IndexOutOfBoundsException when {@code dst} is too small (a setup bug: size it with {@link #encodedLength})
     */
    public static int encode(final DirectBuffer src, final int offset, final int length, final MutableDirectBuffer dst,
                             final int dstOffset) {
        int out = dstOffset;
        int in = offset;
        final int end = offset + length - length % 3;
        while (in < end) {
            final int bits = ((src.getByte(in) & 0xFF) << 16) | ((src.getByte(in + 1) & 0xFF) << 8) | (src.getByte(in + 2) & 0xFF);
            dst.putInt(out, (ALPHABET[bits >>> 18] << 24) | (ALPHABET[(bits >>> 12) & 0x3F] << 16)
                | (ALPHABET[(bits >>> 6) & 0x3F] << 8) | ALPHABET[bits & 0x3F], ByteOrder.BIG_ENDIAN);
            in += 3;
            out += 4;
        }
        final int rest = length % 3;
        if (rest == 1) {
            final int b0 = src.getByte(in) & 0xFF;
            dst.putByte(out, ALPHABET[b0 >>> 2]);
            dst.putByte(out + 1, ALPHABET[(b0 & 0x03) << 4]);
            dst.putByte(out + 2, (byte) '=');
            dst.putByte(out + 3, (byte) '=');
            out += 4;
        } else if (rest == 2) {
            final int bits = ((src.getByte(in) & 0xFF) << 8) | (src.getByte(in + 1) & 0xFF);
            dst.putByte(out, ALPHABET[bits >>> 10]);
            dst.putByte(out + 1, ALPHABET[(bits >>> 4) & 0x3F]);
            dst.putByte(out + 2, ALPHABET[(bits & 0x0F) << 2]);
            dst.putByte(out + 3, (byte) '=');
            out += 4;
        }
        return out - dstOffset;
    }
}
