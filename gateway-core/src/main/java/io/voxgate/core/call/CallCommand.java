package io.voxgate.core.call;

import io.voxgate.core.transfer.TransferRequest;
import java.util.Objects;

/**
 * A request sent into a call from another thread through its {@link CallCommandProxy}.
 *
 * <p>Immutable; safe on any thread. The frequent ones are constants, so sending them allocates nothing.
 */
public final class CallCommand {
    /** What the call is asked to do. */
    public enum Kind {
        /** The gateway ends the call: close the agent and hang up the caller's leg (timeout, drain, admin). */
        HANG_UP,
        /** The caller's side already hung up (SIP BYE, Twilio stop): close the agent and end, without hanging up. */
        CALLER_HUNG_UP,
        /** Treat as an accepted barge-in: flush what the agent has queued and clear the caller's playback. */
        BARGE_IN,
        /** Hand the caller to {@link #transfer()}'s target through the caller's edge (SIP REFER, Twilio call update). */
        TRANSFER,
        /** Start recording the call (once per call). */
        RECORDING_START,
        /** Pause the recording: silence on both channels until resumed (PCI). */
        RECORDING_PAUSE,
        /** Resume a paused recording. */
        RECORDING_RESUME,
        /** Stop the recording: the file is closed; the call goes on. */
        RECORDING_STOP
    }

    /** Ends the call because it ran longer than the configured maximum duration. */
    public static final CallCommand HANG_UP_MAX_DURATION = new CallCommand(Kind.HANG_UP, "max-duration");
    /** Ends the call because no caller audio arrived within the idle timeout. */
    public static final CallCommand HANG_UP_IDLE = new CallCommand(Kind.HANG_UP, "idle-timeout");
    /** Ends the call because the gateway is draining and the drain deadline passed. */
    public static final CallCommand HANG_UP_DRAIN = new CallCommand(Kind.HANG_UP, "drain");
    /** Ends the call because an operator asked for it (the admin API); the record says it was ended by an operator. */
    public static final CallCommand HANG_UP_OPERATOR = new CallCommand(Kind.HANG_UP, "operator hang-up");
    /**
     * Ends the call because its agent asked for it outside its own connection (Vapi's server URL: {@code end-call});
     * the record says the agent ended it.
     */
    public static final CallCommand HANG_UP_AGENT = new CallCommand(Kind.HANG_UP, "agent hang-up");
    /** Barge-in requested from outside the call (for example an agent webhook). */
    public static final CallCommand BARGE_IN = new CallCommand(Kind.BARGE_IN, "barge-in");

    /** Starts recording the call. */
    public static final CallCommand RECORDING_START = new CallCommand(Kind.RECORDING_START, "recording start");
    /** Pauses the call's recording. */
    public static final CallCommand RECORDING_PAUSE = new CallCommand(Kind.RECORDING_PAUSE, "recording pause");
    /** Resumes the call's recording. */
    public static final CallCommand RECORDING_RESUME = new CallCommand(Kind.RECORDING_RESUME, "recording resume");
    /** Stops the call's recording. */
    public static final CallCommand RECORDING_STOP = new CallCommand(Kind.RECORDING_STOP, "recording stop");

    private final Kind kind;
    private final String reason;
    private final TransferRequest transfer;

    private CallCommand(final Kind kind, final String reason) {
        this(kind, reason, null);
    }

    private CallCommand(final Kind kind, final String reason, final TransferRequest transfer) {
        this.kind = kind;
        this.reason = reason;
        this.transfer = transfer;
    }

    /** Asks the call to transfer the caller as {@code request} says (an operator or the agent asked for it). */
    public static CallCommand transfer(final TransferRequest request) {
        return new CallCommand(Kind.TRANSFER, "transfer", Objects.requireNonNull(request, "request"));
    }

    /** Asks the call to hang up with {@code reason} (short, safe to log). */
    public static CallCommand hangUp(final String reason) {
        return new CallCommand(Kind.HANG_UP, Objects.requireNonNull(reason, "reason"));
    }

    /** Tells the call that the caller's side hung up, with {@code reason} (short, safe to log). */
    public static CallCommand callerHungUp(final String reason) {
        return new CallCommand(Kind.CALLER_HUNG_UP, Objects.requireNonNull(reason, "reason"));
    }

    /** What to do. */
    public Kind kind() {
        return kind;
    }

    /** Why, for logs and the end reason. */
    public String reason() {
        return reason;
    }

    /** The transfer of a {@link Kind#TRANSFER} command, else {@code null}. */
    public TransferRequest transfer() {
        return transfer;
    }

    @Override
    public String toString() {
        return transfer != null ? kind + "(" + transfer.id() + ")" : kind + "(" + reason + ")";
    }
}
