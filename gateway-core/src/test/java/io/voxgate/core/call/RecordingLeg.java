package io.voxgate.core.call;

import io.voxgate.core.transfer.TransferRequest;
import java.util.ArrayList;
import java.util.List;
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
    /** Whether the far end buffers what it was sent and drops it on a pause (Twilio) or plays everything (RTP). */
    boolean buffersAtFarEnd = true;
    int pauses;
    long lastPauseNs;
    /** The last time the session said it next has timed work ({@link #nextReleaseChanged}); never told: MIN_VALUE. */
    long toldNextReleaseNs = Long.MIN_VALUE;
    private final int[] pausedAtByte = new int[64];
    private final int[] unheardAtPause = new int[64];

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
    public void nextReleaseChanged(final long nextReleaseNs) {
        toldNextReleaseNs = nextReleaseNs;
    }

    @Override
    public void clearCallerPlayback(final long nowNs) {
        clears++;
        lastClearNs = nowNs;
    }

    /** Like Twilio: a pause is a {@code clear}, and everything sent but not yet played by the clock is lost. */
    @Override
    public int pauseCallerPlayback(final long nowNs, final int unplayedByClock) {
        if (!buffersAtFarEnd) {
            return 0;
        }
        clears++;
        lastClearNs = nowNs;
        lastPauseNs = nowNs;
        pausedAtByte[pauses] = sentBytes;
        unheardAtPause[pauses] = unplayedByClock;
        pauses++;
        return unplayedByClock;
    }

    /** What the caller heard: everything sent, less what each pause made the far end drop. */
    byte[] heardBytes() {
        final java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i < pauses; i++) {
            heard.write(sent, from, pausedAtByte[i] - unheardAtPause[i] - from);
            from = pausedAtByte[i];
        }
        heard.write(sent, from, sentBytes - from);
        return heard.toByteArray();
    }

    @Override
    public boolean sendDigits(final String requested, final long nowNs) {
        digitRequests++;
        if (acceptDigits) {
            digits.append(requested);
        }
        return acceptDigits;
    }

    /** Transfers handed to the leg, in order. */
    final List<TransferRequest> transfers = new ArrayList<>();
    boolean acceptTransfers = true;

    @Override
    public boolean startTransfer(final TransferRequest request, final long nowNs) {
        if (acceptTransfers) {
            transfers.add(request);
        }
        return acceptTransfers;
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
