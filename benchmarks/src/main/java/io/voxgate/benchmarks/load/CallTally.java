package io.voxgate.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums the figures of ended calls as they end, so a sustained run keeps no per-call state of calls gone by (their
 * results hold what each caller heard, 8 bytes per ms).
 *
 * <p>Lost frames: sent and never echoed, per call, less the frames the gateway reports it still held in its paced
 * outbound queue at hang-up (the caller hangs up right after its last frame, so an echo running late by a stall's
 * excess over the outbound lead is cut off; those are reported apart). In-process, loss is also split by direction from
 * the gateway's own per-call counts, so a frame lost on a socket is told from one dropped inside.
 *
 * <p>Threading: the control thread only.
 */
final class CallTally {
    static final int MAX_ERRORS_KEPT = 20;

    /**
     * What the gateway counted on one call when it ended (in-process only); {@code framesHeldAtHangUp} counts frames
     * queued for paced playout and, with an agent behind a socket (Vapi), frames sent to it and not yet echoed.
     */
    record GatewayCallFigures(long framesFromCaller, long framesToCaller, long framesHeldAtHangUp) {
    }

    /** One ended call, reduced to what the tally needs; {@code error} is null when it went through. */
    record EndedCall(String callSid, boolean ok, String error, long framesSent, long framesReceived, long framesUnpaired,
                     long framesOverrun, long latenciesClamped) {
    }

    private final boolean echo;
    private final List<String> errors = new ArrayList<>();
    /** The simulator's words for a stream the gateway did not close after the caller's {@code stop}. */
    private static final String LEFT_OPEN = "gateway did not close";
    private long leftOpen;
    private long calls;
    private long ok;
    private long sent;
    private long received;
    private long lost;
    private long held;
    private long lostToGateway;
    private long lostFromGateway;
    private long unpaired;
    private long overrun;
    private long clamped;

    /** A tally that counts loss and pairing when {@code echo} (the agent returns every frame). */
    CallTally(final boolean echo) {
        this.echo = echo;
    }

    /** Adds one ended call, with what the gateway counted on it ({@code null} when unknown: external mode). */
    void add(final EndedCall call, final GatewayCallFigures gateway) {
        calls++;
        sent += call.framesSent();
        received += call.framesReceived();
        if (gateway != null) {
            lostToGateway += Math.max(0, call.framesSent() - gateway.framesFromCaller());
            lostFromGateway += Math.max(0, gateway.framesToCaller() - call.framesReceived());
        }
        if (echo) {
            final long heldHere = gateway == null ? 0
                : Math.min(gateway.framesHeldAtHangUp(), Math.max(0, call.framesSent() - call.framesReceived()));
            held += heldHere;
            lost += Math.max(0, call.framesSent() - call.framesReceived() - heldHere);
            unpaired += call.framesUnpaired();
            overrun += call.framesOverrun();
            clamped += call.latenciesClamped();
        }
        if (call.ok()) {
            ok++;
        } else {
            if (call.error() != null && call.error().startsWith(LEFT_OPEN)) {
                leftOpen++;
            }
            error(call.error());
        }
    }

    /** Records a failure that is not an ended call's (one that did not finish in time). */
    void error(final String error) {
        if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(error);
        }
    }

    /**
     * External mode: no per-call figures from the gateway, so the direction split comes from its counters over the
     * run, {@code [from caller, to caller, held at hang-up]} deltas (-1 where unknown).
     */
    void applyGatewayCounters(final long[] deltas) {
        lostToGateway = deltas[0] < 0 ? -1 : Math.max(0, sent - deltas[0]);
        lostFromGateway = deltas[1] < 0 ? -1 : Math.max(0, deltas[1] - received);
        if (echo && deltas[2] >= 0) {
            held = Math.min(deltas[2], lost);
            lost -= held;
        }
    }

    /** Counts {@code count} calls that did not finish before the run's deadline as failed. */
    void timedOut(final long count) {
        for (long i = 0; i < count; i++) {
            calls++;
            error("call did not finish in time");
        }
    }

    /** Calls tallied, timed-out ones included. */
    long calls() {
        return calls;
    }

    /** Calls that went through. */
    long ok() {
        return ok;
    }

    /** Frames the callers sent. */
    long sent() {
        return sent;
    }

    /** Frames the callers received. */
    long received() {
        return received;
    }

    /** Frames sent and never echoed, less those held at hang-up (echo only). */
    long lost() {
        return lost;
    }

    /** Frames the gateway still held at hang-up (echo only). */
    long held() {
        return held;
    }

    /** Frames the callers sent that the gateway never counted (-1 unknown). */
    long lostToGateway() {
        return lostToGateway;
    }

    /** Frames the gateway sent that never reached a caller (-1 unknown). */
    long lostFromGateway() {
        return lostFromGateway;
    }

    /** Frames received with none waiting for its echo. */
    long unpaired() {
        return unpaired;
    }

    /** Send times overwritten because too many frames were in flight. */
    long overrun() {
        return overrun;
    }

    /** Round trips longer than the recorder keeps, recorded as its maximum. */
    long clamped() {
        return clamped;
    }

    /**
     * Failed calls whose only fault was that the gateway left the stream open after the caller's {@code stop} (Twilio
     * would close it; the seed bridge never does): their audio went both ways.
     */
    long leftOpen() {
        return leftOpen;
    }

    /** The first {@value #MAX_ERRORS_KEPT} failures, in words. */
    List<String> errors() {
        return errors;
    }
}
