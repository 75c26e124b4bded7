package io.voxgate.benchmarks.load;

import io.voxgate.testkit.twilio.SimulatorListener;

/**
 * Hands each simulator hook to two listeners in turn (the simulator takes one): the echo latency probe and the
 * barge-in probe. Threading: as the listeners'; adds no state.
 */
final class ListenerTee implements SimulatorListener {
    private final SimulatorListener first;
    private final SimulatorListener second;

    ListenerTee(final SimulatorListener first, final SimulatorListener second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void onMediaSent(final String callSid, final long chunk, final long nowNs) {
        first.onMediaSent(callSid, chunk, nowNs);
        second.onMediaSent(callSid, chunk, nowNs);
    }

    @Override
    public void onMediaReceived(final String callSid, final int bytes, final long nowNs) {
        first.onMediaReceived(callSid, bytes, nowNs);
        second.onMediaReceived(callSid, bytes, nowNs);
    }

    @Override
    public void onClear(final String callSid, final long nowNs) {
        first.onClear(callSid, nowNs);
        second.onClear(callSid, nowNs);
    }
}
