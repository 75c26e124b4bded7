package io.voxgate.core.codec;

import org.agrona.DirectBuffer;

/**
 * Whether an Opus packet carries in-band FEC (SILK's low-bit-rate redundancy, LBRR) for the packet before it, read
 * from the packet's bytes without decoding it.
 *
 * <p>Why: asking a decoder to rebuild a lost frame from a packet that carries no redundancy gives the decoder's
 * concealment, not the lost audio. Reading the flag first lets the playout count only frames really rebuilt from FEC
 * and conceal the others as lost frames.
 *
 * <p>How (RFC 6716): the TOC byte (§3.1) gives the mode, the frame duration, mono or stereo and the framing code; the
 * framing (§3.2) locates the first Opus frame. CELT-only packets have no LBRR. In SILK and hybrid packets the SILK layer
 * opens the range-coded frame with its header bits (§4.2.3): one VAD flag per SILK frame (one for 10 and 20 ms, two
 * for 40, three for 60), then the LBRR flag, for the mid channel and then, in stereo, the side channel. Each is coded
 * with probability one half at the very start of the range coder, which makes them the first bits of the frame's
 * first byte, most significant first. Redundancy for the previous packet is carried in the first Opus frame only.
 *
 * <p>Threading: stateless; safe on any thread. Reads the given range only, allocates nothing, and answers
 * {@code false} for anything malformed or truncated.
 */
public final class OpusInBandFec {
    /** Configurations from this one up are CELT-only (RFC 6716 Table 2). */
    private static final int FIRST_CELT_CONFIG = 16;
    /** Configurations below this one are SILK-only; from it up to {@link #FIRST_CELT_CONFIG} hybrid. */
    private static final int FIRST_HYBRID_CONFIG = 12;
    /** Largest number of frames a code 3 packet may hold (120 ms of 2.5 ms frames). */
    private static final int MAX_FRAMES = 48;
    /** A one-byte frame length below this is the length; from it up, a second byte follows (RFC 6716 §3.2.1). */
    private static final int TWO_BYTE_LENGTH_FROM = 252;

    private OpusInBandFec() {
    }

    /**
     * Whether {@code packet[offset, offset + length)}, a whole Opus packet, carries LBRR for the packet before it.
     *
     * @return true only for a well-formed SILK or hybrid packet whose first frame sets an LBRR flag
     */
    public static boolean carriedBy(final DirectBuffer packet, final int offset, final int length) {
        if (length < 2) {
            return false;
        }
        final int toc = packet.getByte(offset) & 0xFF;
        final int config = toc >>> 3;
        if (config >= FIRST_CELT_CONFIG) {
            return false;
        }
        final int firstFrame = firstFrameOffset(packet, offset, length, toc & 0x3);
        if (firstFrame < 0) {
            return false;
        }
        final int silkFrames = silkFramesPerOpusFrame(config);
        final int header = packet.getByte(offset + firstFrame) & 0xFF;
        final boolean midLbrr = ((header >>> (7 - silkFrames)) & 1) != 0;
        final boolean stereo = (toc & 0x4) != 0;
        return midLbrr || stereo && ((header >>> (6 - 2 * silkFrames)) & 1) != 0;
    }

    /** SILK frames of 20 ms (or one of 10 ms) in one Opus frame of this configuration. */
    private static int silkFramesPerOpusFrame(final int config) {
        if (config >= FIRST_HYBRID_CONFIG) {
            // Hybrid frames are 10 or 20 ms: one SILK frame.
            return 1;
        }
        switch (config & 0x3) {
            case 2:
                return 2;
            case 3:
                return 3;
            default:
                return 1;
        }
    }

    /**
     * Offset, from the packet's start, of the first Opus frame's first byte; -1 when the packet is malformed or that
     * frame is empty (a DTX frame carries nothing).
     */
    private static int firstFrameOffset(final DirectBuffer packet, final int offset, final int length, final int code) {
        switch (code) {
            case 0:
                return 1;
            case 1:
                // Two frames of equal size.
                return (length - 1) % 2 == 0 ? 1 : -1;
            case 2:
                return codeTwoFirstFrame(packet, offset, length);
            default:
                return codeThreeFirstFrame(packet, offset, length);
        }
    }

    private static int codeTwoFirstFrame(final DirectBuffer packet, final int offset, final int length) {
        final int lengthBytes = frameLengthBytes(packet, offset, length, 1);
        if (lengthBytes < 0) {
            return -1;
        }
        final int firstLength = frameLength(packet, offset, 1);
        final int start = 1 + lengthBytes;
        return firstLength > 0 && start + firstLength <= length ? start : -1;
    }

    private static int codeThreeFirstFrame(final DirectBuffer packet, final int offset, final int length) {
        final int countByte = packet.getByte(offset + 1) & 0xFF;
        final int frames = countByte & 0x3F;
        if (frames == 0 || frames > MAX_FRAMES) {
            return -1;
        }
        int at = 2;
        int padding = 0;
        if ((countByte & 0x40) != 0) {
            // Padding length: each 255 means 254 bytes and another length byte; the last byte adds its value.
            int chunk;
            do {
                if (at >= length) {
                    return -1;
                }
                chunk = packet.getByte(offset + at++) & 0xFF;
                padding += chunk == 255 ? 254 : chunk;
            } while (chunk == 255);
        }
        final int firstLength;
        if ((countByte & 0x80) != 0) {
            // Variable bit rate: the lengths of all frames but the last follow; the first is the one read here.
            int lengths = at;
            int first = -1;
            for (int i = 0; i < frames - 1; i++) {
                final int lengthBytes = frameLengthBytes(packet, offset, length, lengths);
                if (lengthBytes < 0) {
                    return -1;
                }
                if (i == 0) {
                    first = frameLength(packet, offset, lengths);
                }
                lengths += lengthBytes;
            }
            at = lengths;
            firstLength = frames == 1 ? length - at - padding : first;
        } else {
            final int payload = length - at - padding;
            if (payload < 0 || payload % frames != 0) {
                return -1;
            }
            firstLength = payload / frames;
        }
        return firstLength > 0 && at + firstLength <= length - padding ? at : -1;
    }

    /** Bytes of the frame length coded at {@code at}: 1 or 2, or -1 when the packet ends inside it. */
    private static int frameLengthBytes(final DirectBuffer packet, final int offset, final int length, final int at) {
        if (at >= length) {
            return -1;
        }
        if ((packet.getByte(offset + at) & 0xFF) < TWO_BYTE_LENGTH_FROM) {
            return 1;
        }
        return at + 1 < length ? 2 : -1;
    }

    /** The frame length coded at {@code at}; {@link #frameLengthBytes} must have said it is whole. */
    private static int frameLength(final DirectBuffer packet, final int offset, final int at) {
        final int first = packet.getByte(offset + at) & 0xFF;
        if (first < TWO_BYTE_LENGTH_FROM) {
            return first;
        }
        return first + 4 * (packet.getByte(offset + at + 1) & 0xFF);
    }
}
