package io.voxgate.core.pipeline;

import org.agrona.DirectBuffer;

/**
 * Where a pipeline stage hands audio on: the next stage, the agent, the paced queue.
 *
 * <p>Threading: called on the call's thread only. Ownership: the bytes are borrowed for the duration of the
 * call; a sink that keeps them copies them.
 */
@FunctionalInterface
public interface AudioSink {

    /** Receives {@code length} bytes of audio at {@code offset}; {@code timestampNs} is when they entered the gateway. */
    void onAudio(DirectBuffer audio, int offset, int length, long timestampNs);
}
