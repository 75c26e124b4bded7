package io.voxgate.core.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One wire encoding of audio samples: converts blocks between 16-bit linear PCM and the encoding's bytes, and
 * names the byte a silent stream is made of. Each encoding has exactly one codec object
 * ({@code AudioEncoding.codec()} hands it out), so code that handles audio of any encoding asks the codec
 * instead of switching on the encoding.
 *
 * <p>Threading: implementations are stateless and may be called from any thread. Ownership: the methods read and
 * write only the given ranges and keep no reference to them. Counts are in samples; range checks happen once per
 * call ({@link IndexOutOfBoundsException}). Nothing allocates.
 */
public interface AudioCodec {

    /** The encoding's name ({@code PCMU}, {@code PCMA} as in RTP's registry, RFC 3551 §6; {@code pcm_s16le}). */
    String name();

    /** Bytes one sample takes on the wire. */
    int bytesPerSample();

    /** The byte every byte of a silent stream holds: the code of linear 0 ({@code 0xFF} mu-law, {@code 0xD5} A-law). */
    byte silenceByte();

    /**
     * Encodes {@code samples} samples from {@code pcm[pcmOffset..]} into {@code out} at byte {@code outOffset};
     * {@code out} may wrap heap or off-heap memory, written in place.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array or buffer
     */
    void encode(short[] pcm, int pcmOffset, MutableDirectBuffer out, int outOffset, int samples);

    /**
     * Decodes {@code samples} samples from {@code in} at byte {@code inOffset} into {@code out[outOffset..]};
     * {@code in} may wrap heap or off-heap memory (e.g. a Netty buffer), read in place.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array or buffer
     */
    void decode(DirectBuffer in, int inOffset, short[] out, int outOffset, int samples);
}
