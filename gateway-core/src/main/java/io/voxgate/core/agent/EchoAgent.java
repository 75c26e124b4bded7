package io.voxgate.core.agent;

import io.voxgate.core.audio.AudioFormat;
import org.agrona.DirectBuffer;

/**
 * The simplest agent: every frame of caller audio comes straight back, unchanged and at once, in whatever format the
 * agent was built for. It needs no account and no network, so it shows the gateway's own latency and byte-exact
 * pass-through end to end.
 *
 * <p>It connects synchronously inside {@link #connect}. A DTMF digit is reported as an {@link AgentEvent} (digits are
 * rare, so the event may allocate). Threading: the call's thread only. Ownership: the caller's borrowed buffer is
 * handed straight back to the listener, no copy.
 */
public final class EchoAgent implements VoiceAgent {
    private final AudioFormat format;
    private AgentListener listener;
    private boolean open;
    private long framesEchoed;

    /** An echo agent speaking {@code format}. */
    public EchoAgent(final AudioFormat format) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        this.format = format;
    }

    @Override
    public AudioFormat audioFormat() {
        return format;
    }

    @Override
    public void connect(final AgentCall call, final AgentListener listener, final long nowNs) {
        this.listener = listener;
        this.open = true;
        listener.onAgentConnected(nowNs);
    }

    @Override
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (open) {
            framesEchoed++;
            listener.onAgentAudio(audio, offset, length, nowNs);
        }
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        if (open) {
            listener.onAgentEvent(new AgentEvent(AgentEvent.Kind.OTHER, "user", "dtmf " + digit));
        }
    }

    @Override
    public void close(final String reason, final long nowNs) {
        open = false;
    }

    /** Frames sent back so far. */
    public long framesEchoed() {
        return framesEchoed;
    }
}
