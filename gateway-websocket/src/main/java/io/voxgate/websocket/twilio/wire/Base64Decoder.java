package io.voxgate.websocket.twilio.wire;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Decodes standard base64 (RFC 4648 §4, {@code =} padding, no line breaks) from bytes straight into a caller's
 * buffer: no {@code String}, no array per call. Twilio's {@code media.payload} uses exactly this alphabet.
 *
 * <p>Stateless; safe on any thread. Ownership: reads {@code src}, writes {@code dst}; keeps neither.
 */
public final class Base64Decoder {
    /** Returned when the input is not valid base64 (bad character, bad length, bad padding). */
    public static final int MALFORMED = -1;
    /** Returned when the decoded bytes would not fit in the destination. */
    public static final int TOO_LONG = -2;

    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Decoder() {
    }

    /** Bytes that {@code encodedLength} base64 characters decode to at most (before padding is looked at). */
    public static int maxDecodedLength(final int encodedLength) {
        return encodedLength / 4 * 3;
    }

    /**
     * Decodes {@code length} base64 characters at {@code offset} of {@code src} into {@code dst} from {@code dstOffset}.
     *
     * @return the decoded byte count, {@link #MALFORMED} or {@link #TOO_LONG}; on failure {@code dst} may hold
     *         partial output
     */
    public static int decode(final DirectBuffer src, final int offset, final int length, final MutableDirectBuffer dst,
                             final int dstOffset, final int dstCapacity) {
        if ((length & 3) != 0) {
            return MALFORMED;
        }
        if (length == 0) {
            return 0;
        }
        int padding = 0;
        if (src.getByte(offset + length - 1) == '=') {
            padding++;
            if (src.getByte(offset + length - 2) == '=') {
                padding++;
            }
        }
        final int decodedLength = length / 4 * 3 - padding;
        if (decodedLength > dstCapacity) {
            return TOO_LONG;
        }
        final int fullQuads = padding == 0 ? length / 4 : length / 4 - 1;
        int in = offset;
        int out = dstOffset;
        int bad = 0;
        int q = 0;
        // Eight characters per load and six bytes per two stores: one bounds check each instead of fourteen.
        for (; q + 1 < fullQuads; q += 2) {
            final long chars = src.getLong(in, ByteOrder.BIG_ENDIAN);
            final int a = VALUES[(int) (chars >>> 56)];
            final int b = VALUES[(int) (chars >>> 48) & 0xFF];
            final int c = VALUES[(int) (chars >>> 40) & 0xFF];
            final int d = VALUES[(int) (chars >>> 32) & 0xFF];
            final int e = VALUES[(int) (chars >>> 24) & 0xFF];
            final int f = VALUES[(int) (chars >>> 16) & 0xFF];
            final int g = VALUES[(int) (chars >>> 8) & 0xFF];
            final int h = VALUES[(int) chars & 0xFF];
            // Any invalid character maps to -1, which sets the sign bit of the OR.
            bad |= a | b | c | d | e | f | g | h;
            final int first = (a << 18) | (b << 12) | (c << 6) | d;
            final int second = (e << 18) | (f << 12) | (g << 6) | h;
            dst.putInt(out, (first << 8) | (second >>> 16), ByteOrder.BIG_ENDIAN);
            dst.putShort(out + 4, (short) second, ByteOrder.BIG_ENDIAN);
            in += 8;
            out += 6;
        }
        for (; q < fullQuads; q++) {
            final int chars = src.getInt(in, ByteOrder.BIG_ENDIAN);
            final int a = VALUES[chars >>> 24];
            final int b = VALUES[(chars >>> 16) & 0xFF];
            final int c = VALUES[(chars >>> 8) & 0xFF];
            final int d = VALUES[chars & 0xFF];
            // Any invalid character maps to -1, which sets the sign bit of the OR.
            bad |= a | b | c | d;
            final int bits = (a << 18) | (b << 12) | (c << 6) | d;
            dst.putByte(out, (byte) (bits >> 16));
            dst.putByte(out + 1, (byte) (bits >> 8));
            dst.putByte(out + 2, (byte) bits);
            in += 4;
            out += 3;
        }
        if (padding > 0) {
            final int a = VALUES[src.getByte(in) & 0xFF];
            final int b = VALUES[src.getByte(in + 1) & 0xFF];
            bad |= a | b;
            if (padding == 2) {
                // RFC 4648 §3.5: the unused low bits of the last character must be zero.
                bad |= (b & 0x0F) == 0 ? 0 : -1;
                dst.putByte(out, (byte) ((a << 2) | (b >> 4)));
            } else {
                final int c = VALUES[src.getByte(in + 2) & 0xFF];
                bad |= c | ((c & 0x03) == 0 ? 0 : -1);
                final int bits = (a << 12) | (b << 6) | c;
                dst.putByte(out, (byte) (bits >> 10));
                dst.putByte(out + 1, (byte) (bits >> 2));
            }
        }
        return bad < 0 ? MALFORMED : decodedLength;
    }
}
