package io.voxgate.websocket.vapi;

import io.voxgate.core.agent.AgentEvent;
import io.voxgate.core.agent.AgentListener;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;

/** An {@link AgentListener} that records every callback, with waits; safe to read from the test thread. */
final class RecordingListener implements AgentListener {
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final List<AgentEvent> events = new ArrayList<>();
    private final StringBuilder digits = new StringBuilder();
    private final List<String> callbackThreads = new ArrayList<>();
    private int connected;
    private int interruptions;
    private String closedReason;
    private int closedCount;
    private long connectedAtNs;
    private long closedAtNs;
    private long audioCalls;

    @Override
    public synchronized void onAgentConnected(final long nowNs) {
        connected++;
        connectedAtNs = System.nanoTime();
        callbackThreads.add(Thread.currentThread().getName());
        notifyAll();
    }

    @Override
    public synchronized void onAgentAudio(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        audio.write(copy, 0, length);
        audioCalls++;
        notifyAll();
    }

    @Override
    public synchronized void onAgentInterruption(final long nowNs) {
        interruptions++;
        notifyAll();
    }

    @Override
    public synchronized void onAgentDigits(final String requested, final long nowNs) {
        digits.append(requested);
        notifyAll();
    }

    @Override
    public synchronized void onAgentEvent(final AgentEvent event) {
        events.add(event);
        notifyAll();
    }

    @Override
    public synchronized void onAgentClosed(final String reason, final long nowNs) {
        closedReason = reason;
        closedCount++;
        closedAtNs = System.nanoTime();
        callbackThreads.add(Thread.currentThread().getName());
        notifyAll();
    }

    synchronized boolean awaitConnected(final Duration timeout) throws InterruptedException {
        return await(timeout, () -> connected > 0);
    }

    synchronized boolean awaitClosed(final Duration timeout) throws InterruptedException {
        return await(timeout, () -> closedReason != null);
    }

    synchronized boolean awaitAudioBytes(final int bytes, final Duration timeout) throws InterruptedException {
        return await(timeout, () -> audio.size() >= bytes);
    }

    synchronized boolean awaitInterruption(final Duration timeout) throws InterruptedException {
        return await(timeout, () -> interruptions > 0);
    }

    synchronized boolean awaitEvent(final AgentEvent.Kind kind, final Duration timeout) throws InterruptedException {
        return await(timeout, () -> events.stream().anyMatch(e -> e.kind() == kind));
    }

    synchronized byte[] audio() {
        return audio.toByteArray();
    }

    synchronized List<AgentEvent> events() {
        return new ArrayList<>(events);
    }

    synchronized String digits() {
        return digits.toString();
    }

    synchronized int connected() {
        return connected;
    }

    synchronized int interruptions() {
        return interruptions;
    }

    synchronized String closedReason() {
        return closedReason;
    }

    synchronized int closedCount() {
        return closedCount;
    }

    synchronized long connectedToClosedNs() {
        return closedAtNs - connectedAtNs;
    }

    synchronized List<String> callbackThreads() {
        return new ArrayList<>(callbackThreads);
    }

    private boolean await(final Duration timeout, final java.util.function.BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
