package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioFormat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One direction of a call's media path: audio in format {@code from} goes in, audio in format {@code to} comes out
 * to a downstream {@link AudioSink}. Built once at call setup from the two formats:
 * <ul>
 *   <li><b>pass-through</b> when {@code from.passesThroughTo(to)} (mu-law 8 kHz on both sides): the borrowed bytes
 *       go downstream untouched, with no copy and no transcoding;</li>
 *   <li>otherwise <b>decode -> [resample] -> encode</b>: {@link DecodeStage} (G.711 table or PCM16 with an odd
 *       byte carried across chunks), {@link ResampleStage} only when the rates differ, {@link EncodeStage}.</li>
 * </ul>
 * Input of any length is processed in blocks of at most 60 ms (the longest ptime), so the scratch arrays are
 * sized once and a long agent burst costs several downstream calls rather than an allocation.
 *
 * <p>Threading: confined to the call's thread; no locks. Ownership: input is borrowed for the duration of
 * {@link #onAudio}; output handed downstream is a view of this pipeline's scratch, valid only during that
 * downstream call. Allocates nothing after construction.
 */
public final class AudioPipeline implements AudioSink, MediaStage {
    private static final int BLOCK_MS = 60;

    private final AudioFormat from;
    private final AudioFormat to;
    private final AudioSink downstream;
    private final boolean passThrough;
    private final DecodeStage decode;
    private final ResampleStage resample;
    private final EncodeStage encode;
    private final int blockSamples;
    private final short[] decoded;
    private final short[] resampled;
    private final UnsafeBuffer encoded;

    private long chunksIn;
    private long bytesIn;
    private long chunksOut;
    private long bytesOut;

    private AudioPipeline(final AudioFormat from, final AudioFormat to, final AudioSink downstream) {
        this.from = from;
        this.to = to;
        this.downstream = downstream;
        this.passThrough = from.passesThroughTo(to);
        if (passThrough) {
            this.decode = null;
            this.resample = null;
            this.encode = null;
            this.blockSamples = 0;
            this.decoded = null;
            this.resampled = null;
            this.encoded = null;
        } else {
            this.decode = new DecodeStage(from.encoding());
            this.resample = from.sampleRateHz() == to.sampleRateHz() ? null
                : new ResampleStage(from.sampleRateHz(), to.sampleRateHz());
            this.encode = new EncodeStage(to.encoding());
            this.blockSamples = from.sampleRateHz() / 1_000 * BLOCK_MS;
            this.decoded = new short[blockSamples];
            this.resampled = resample == null ? null : new short[resample.maxOutputSamples(blockSamples)];
            final int maxOutSamples = resample == null ? blockSamples : resampled.length;
            this.encoded = new UnsafeBuffer(new byte[maxOutSamples * to.encoding().bytesPerSample()]);
        }
    }

    /**
     * Builds the pipeline carrying audio from {@code from} to {@code to} into {@code downstream}.
     *
     * @throws IllegalArgumentException when an argument is null or the rate pair cannot be converted
     */
    public static AudioPipeline create(final AudioFormat from, final AudioFormat to, final AudioSink downstream) {
        if (from == null || to == null || downstream == null) {
            throw new IllegalArgumentException("from, to and downstream must not be null");
        }
        return new AudioPipeline(from, to, downstream);
    }

    /** Carries {@code length} bytes in format {@code from} downstream; {@code timestampNs} travels with them. */
    @Override
    public void onAudio(final DirectBuffer audio, final int offset, final int length, final long timestampNs) {
        if (length <= 0) {
            return;
        }
        chunksIn++;
        bytesIn += length;
        if (passThrough) {
            emit(audio, offset, length, timestampNs);
            return;
        }
        int in = offset;
        int remaining = length;
        while (remaining > 0) {
            final int take = Math.min(remaining, decode.maxInputBytes(blockSamples));
            final int samples = decode.decode(audio, in, take, decoded, 0);
            in += take;
            remaining -= take;
            if (samples == 0) {
                continue;
            }
            final short[] pcm;
            final int pcmSamples;
            if (resample == null) {
                pcm = decoded;
                pcmSamples = samples;
            } else {
                pcm = resampled;
                pcmSamples = resample.process(decoded, samples, resampled);
            }
            if (pcmSamples > 0) {
                emit(encoded, 0, encode.encode(pcm, 0, pcmSamples, encoded, 0), timestampNs);
            }
        }
    }

    private void emit(final DirectBuffer audio, final int offset, final int length, final long timestampNs) {
        chunksOut++;
        bytesOut += length;
        downstream.onAudio(audio, offset, length, timestampNs);
    }

    /** Whether audio passes through untouched (no decode, resample or encode). */
    public boolean passesThrough() {
        return passThrough;
    }

    /** Whether a sample rate conversion runs. */
    public boolean resamples() {
        return resample != null;
    }

    /** The input format. */
    public AudioFormat from() {
        return from;
    }

    /** The output format. */
    public AudioFormat to() {
        return to;
    }

    /** Chunks received. */
    public long chunksIn() {
        return chunksIn;
    }

    /** Bytes received. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Chunks handed downstream. */
    public long chunksOut() {
        return chunksOut;
    }

    /** Bytes handed downstream. */
    public long bytesOut() {
        return bytesOut;
    }

    /** {@code pass-through} or {@code transcode}. */
    @Override
    public String name() {
        return passThrough ? "pass-through" : "transcode";
    }

    /** Chunks and bytes in and out, then each inner stage's counters as {@code stage.counter}. */
    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("chunks_in", chunksIn);
        visitor.counter("bytes_in", bytesIn);
        visitor.counter("chunks_out", chunksOut);
        visitor.counter("bytes_out", bytesOut);
        if (!passThrough) {
            innerCounters(decode, visitor);
            if (resample != null) {
                innerCounters(resample, visitor);
            }
            innerCounters(encode, visitor);
        }
    }

    private static void innerCounters(final MediaStage stage, final CounterVisitor visitor) {
        stage.counters((counter, value) -> visitor.counter(stage.name() + "." + counter, value));
    }
}
