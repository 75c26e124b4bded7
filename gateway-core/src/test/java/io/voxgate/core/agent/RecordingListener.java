package io.voxgate.core.agent;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/** A test listener that records what an agent reports. */
final class RecordingListener implements AgentListener {
    final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    final List<Integer> chunkLengths = new ArrayList<>();
    final List<Long> chunkTimesNs = new ArrayList<>();
    final List<AgentEvent> events = new ArrayList<>();
    final List<String> digits = new ArrayList<>();
    final List<Long> digitTimesNs = new ArrayList<>();
    DirectBuffer lastBuffer;
    int connects;
    int interruptions;
    long lastInterruptionNs;
    String closedReason;

    @Override
    public void onAgentConnected(final long nowNs) {
        connects++;
    }

    @Override
    public void onAgentAudio(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        audio.write(copy, 0, length);
        chunkLengths.add(length);
        chunkTimesNs.add(nowNs);
        lastBuffer = buffer;
    }

    @Override
    public void onAgentInterruption(final long nowNs) {
        interruptions++;
        lastInterruptionNs = nowNs;
    }

    @Override
    public void onAgentDigits(final String requested, final long nowNs) {
        digits.add(requested);
        digitTimesNs.add(nowNs);
    }

    @Override
    public void onAgentEvent(final AgentEvent event) {
        events.add(event);
    }

    @Override
    public void onAgentClosed(final String reason, final long nowNs) {
        closedReason = reason;
    }
}
