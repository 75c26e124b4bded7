package io.voxgate.core.call;

import org.agrona.DirectBuffer;

/** A test caller leg that records what the session sends, in preallocated arrays. */
final class RecordingLeg implements CallerLeg {
    final byte[] sent = new byte[1 << 22];
    int sentBytes;
    int framesSent;
    long lastSentNs = Long.MIN_VALUE;
    final long[] sentAtNs = new long[1 << 16];
    int clears;
    long lastClearNs;
    int hangUps;
    String hangUpReason;
    Runnable onHangUp;
    final StringBuilder digits = new StringBuilder();
    int digitRequests;
    boolean acceptDigits = true;

    @Override
    public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        final int room = Math.min(length, sent.length - sentBytes);
        audio.getBytes(offset, sent, sentBytes, room);
        sentBytes += room;
        if (framesSent < sentAtNs.length) {
            sentAtNs[framesSent] = nowNs;
        }
        framesSent++;
        lastSentNs = nowNs;
    }

    @Override
    public void clearCallerPlayback(final long nowNs) {
        clears++;
        lastClearNs = nowNs;
    }

    @Override
    public boolean sendDigits(final String requested, final long nowNs) {
        digitRequests++;
        if (acceptDigits) {
            digits.append(requested);
        }
        return acceptDigits;
    }

    @Override
    public void hangUp(final String reason, final long nowNs) {
        hangUps++;
        hangUpReason = reason;
        if (onHangUp != null) {
            onHangUp.run();
        }
    }

    byte[] sentBytes() {
        return java.util.Arrays.copyOf(sent, sentBytes);
    }
}
