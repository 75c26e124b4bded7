package io.voxgate.core.call;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * A test agent that records what it receives and does only what the test tells it through {@link #listener}.
 * It keeps received bytes in a preallocated array so that a steady-state run allocates nothing.
 */
final class ScriptedAgent implements VoiceAgent {
    final AudioFormat format;
    final boolean connectAtOnce;
    final byte[] received = new byte[1 << 20];
    int receivedBytes;
    int receivedChunks;
    DirectBuffer lastBuffer;
    int lastOffset;
    long lastNowNs;
    final StringBuilder digits = new StringBuilder();
    AgentListener listener;
    AgentCall call;
    int connects;
    int closes;
    String closeReason;
    boolean echo;
    RuntimeException throwOnClose;

    ScriptedAgent(final AudioFormat format, final boolean connectAtOnce) {
        this.format = format;
        this.connectAtOnce = connectAtOnce;
    }

    @Override
    public AudioFormat audioFormat() {
        return format;
    }

    @Override
    public void connect(final AgentCall call, final AgentListener listener, final long nowNs) {
        this.call = call;
        this.listener = listener;
        connects++;
        if (connectAtOnce) {
            listener.onAgentConnected(nowNs);
        }
    }

    @Override
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        lastBuffer = audio;
        lastOffset = offset;
        lastNowNs = nowNs;
        receivedChunks++;
        final int room = Math.min(length, received.length - receivedBytes);
        audio.getBytes(offset, received, receivedBytes, room);
        receivedBytes += room;
        if (echo) {
            listener.onAgentAudio(audio, offset, length, nowNs);
        }
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        digits.append(digit);
    }

    /** Transfer states told to the agent, as {@code state:detail}. */
    final List<String> transferUpdates = new ArrayList<>();

    @Override
    public void onTransferUpdate(final TransferRequest request, final TransferState state, final String detail,
                                 final long nowNs) {
        transferUpdates.add(state.label() + ":" + detail);
    }

    @Override
    public void close(final String reason, final long nowNs) {
        closes++;
        closeReason = reason;
        if (throwOnClose != null) {
            throw throwOnClose;
        }
    }

    byte[] receivedBytes() {
        return java.util.Arrays.copyOf(received, receivedBytes);
    }
}
