package io.voxgate.core.codec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The system's libopus (the C reference implementation, Debian package {@code libopus0}) through JNA direct
 * mapping: the per-frame functions are static natives bound once by {@link Native#register}, whose arguments are
 * {@code int}s and {@link Pointer}s into direct buffers the codec owns, so a call allocates nothing on the Java
 * heap (no interface proxy, no argument array, no temporary native memory). The variadic
 * {@code opus_encoder_ctl}, which direct mapping cannot call, goes through an interface-mapped library, used only
 * while an encoder is built or reset.
 *
 * <p>Threading: {@link #bind()} may be called from any thread and binds once. The natives are reentrant; each
 * codec state they are given is confined to its stream's thread.
 */
final class LibOpus {
    /** {@code OPUS_OK}. */
    static final int OK = 0;
    /** {@code OPUS_APPLICATION_VOIP}: speech-tuned, the mode for calls. */
    static final int APPLICATION_VOIP = 2048;
    /** {@code OPUS_SET_BITRATE_REQUEST}. */
    static final int SET_BITRATE = 4002;
    /** {@code OPUS_SET_VBR_REQUEST}. */
    static final int SET_VBR = 4006;
    /** {@code OPUS_SET_COMPLEXITY_REQUEST}. */
    static final int SET_COMPLEXITY = 4010;
    /** {@code OPUS_SET_INBAND_FEC_REQUEST}. */
    static final int SET_INBAND_FEC = 4012;
    /** {@code OPUS_SET_PACKET_LOSS_PERC_REQUEST}. */
    static final int SET_PACKET_LOSS_PERC = 4014;
    /** {@code OPUS_SET_DTX_REQUEST}. */
    static final int SET_DTX = 4016;
    /** {@code OPUS_SET_SIGNAL_REQUEST}. */
    static final int SET_SIGNAL = 4024;
    /** {@code OPUS_RESET_STATE}. */
    static final int RESET_STATE = 4028;
    /** {@code OPUS_SIGNAL_VOICE}. */
    static final int SIGNAL_VOICE = 3001;

    /**
     * The names tried in order: the runtime package's soname first (Debian installs {@code libopus.so} only with
     * {@code libopus-dev}), then the plain name for other systems.
     */
    private static final String[] LIBRARY_NAMES = {"libopus.so.0", "opus"};

    private static volatile String version;
    private static volatile Control control;

    private LibOpus() {
    }

    /** The variadic control calls, mapped through an interface: never on the per-frame path. */
    interface Control extends Library {
        /** {@code int opus_encoder_ctl(OpusEncoder *st, int request, ...)}. */
        int opus_encoder_ctl(Pointer state, int request, Object... arguments);
    }

    /**
     * Loads libopus and binds the natives, once.
     *
     * @return libopus' version string, e.g. {@code libopus 1.3.1}
     * @throws LinkageError when JNA's dispatch library or libopus cannot be loaded, or lacks a function
     */
    static synchronized String bind() {
        if (version == null) {
            final NativeLibrary library = load();
            Native.register(LibOpus.class, library);
            control = Native.load(library.getName(), Control.class);
            version = opus_get_version_string();
        }
        return version;
    }

    private static NativeLibrary load() {
        UnsatisfiedLinkError failure = null;
        for (final String name : LIBRARY_NAMES) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (final UnsatisfiedLinkError ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        throw failure;
    }

    /** The interface-mapped control calls; {@link #bind()} first. */
    static Control control() {
        return control;
    }

    /** A pointer to {@code buffer}'s first byte; the buffer must be direct and outlive the pointer's use. */
    static Pointer pointer(final ByteBuffer buffer) {
        return Native.getDirectBufferPointer(buffer);
    }

    /** {@code const char *opus_get_version_string(void)}. */
    static native String opus_get_version_string();

    /** {@code int opus_encoder_get_size(int channels)}. */
    static native int opus_encoder_get_size(int channels);

    /** {@code int opus_encoder_init(OpusEncoder *st, opus_int32 Fs, int channels, int application)}. */
    static native int opus_encoder_init(Pointer state, int sampleRateHz, int channels, int application);

    /**
     * {@code opus_int32 opus_encode(OpusEncoder *st, const opus_int16 *pcm, int frame_size, unsigned char *data,
     * opus_int32 max_data_bytes)}.
     */
    static native int opus_encode(Pointer state, Pointer pcm, int frameSize, Pointer data, int maxDataBytes);

    /** {@code int opus_decoder_get_size(int channels)}. */
    static native int opus_decoder_get_size(int channels);

    /** {@code int opus_decoder_init(OpusDecoder *st, opus_int32 Fs, int channels)}. */
    static native int opus_decoder_init(Pointer state, int sampleRateHz, int channels);

    /**
     * {@code int opus_decode(OpusDecoder *st, const unsigned char *data, opus_int32 len, opus_int16 *pcm,
     * int frame_size, int decode_fec)}; a null {@code data} conceals a lost packet.
     */
    static native int opus_decode(Pointer state, Pointer data, int length, Pointer pcm, int frameSize, int decodeFec);
}
