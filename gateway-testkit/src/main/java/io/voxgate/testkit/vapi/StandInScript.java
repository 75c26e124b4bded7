package io.voxgate.testkit.vapi;

/**
 * How the stand-in behaves for one assistant: what it does on the transport socket ({@link Mode}) and which
 * failures it injects (slow answers, refused requests, dropped or ended sockets).
 *
 * <p>Immutable; safe on any thread. Built from a mode factory plus {@code with...} modifiers, e.g.
 * {@code StandInScript.echo().withRejectFirst(500, 1)}. Units: ms and counts as named.
 */
public final class StandInScript {
    /** What the stand-in does with an open transport socket. */
    public enum Mode {
        /** Sends every binary frame straight back, unchanged. */
        ECHO,
        /** Speaks a generated utterance (with speech-update, model-output and transcript messages), then echoes. */
        SPEAK_THEN_LISTEN,
        /**
         * Speaks a long utterance and, when caller audio with speech energy arrives while it speaks, sends
         * {@code speech-update} (user, started) and {@code user-interrupted}, then stops speaking.
         */
        INTERRUPT,
        /** Records what it receives and sends nothing. */
        SILENT
    }

    /** Reject every request, not only the first few. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    private final Mode mode;
    private final int restDelayMs;
    private final int socketDelayMs;
    private final int rejectStatus;
    private final int rejectCount;
    private final int dropAfterFrames;
    private final int endAfterFrames;

    private StandInScript(final Mode mode, final int restDelayMs, final int socketDelayMs, final int rejectStatus, final int rejectCount,
                          final int dropAfterFrames, final int endAfterFrames) {
        this.mode = mode;
        this.restDelayMs = restDelayMs;
        this.socketDelayMs = socketDelayMs;
        this.rejectStatus = rejectStatus;
        this.rejectCount = rejectCount;
        this.dropAfterFrames = dropAfterFrames;
        this.endAfterFrames = endAfterFrames;
    }

    /** Echo: binary frames back unchanged. */
    public static StandInScript echo() {
        return new StandInScript(Mode.ECHO, 0, 0, 0, 0, 0, 0);
    }

    /** Speak a greeting, then echo. */
    public static StandInScript speakThenListen() {
        return new StandInScript(Mode.SPEAK_THEN_LISTEN, 0, 0, 0, 0, 0, 0);
    }

    /** Speak, and signal barge-in when the caller talks over it. */
    public static StandInScript interrupt() {
        return new StandInScript(Mode.INTERRUPT, 0, 0, 0, 0, 0, 0);
    }

    /** Listen only. */
    public static StandInScript silent() {
        return new StandInScript(Mode.SILENT, 0, 0, 0, 0, 0, 0);
    }

    /** Parses a script name: {@code echo}, {@code speak-then-listen}, {@code interrupt} or {@code silent}. */
    public static StandInScript named(final String name) {
        switch (name) {
            case "echo":
                return echo();
            case "speak-then-listen":
                return speakThenListen();
            case "interrupt":
                return interrupt();
            case "silent":
                return silent();
            default:
                throw new IllegalArgumentException("unknown stand-in script '" + name + "' (echo, speak-then-listen, interrupt, silent)");
        }
    }

    /** Slow connect: answers {@code POST /call} only after {@code ms}. */
    public StandInScript withRestDelayMs(final int ms) {
        return new StandInScript(mode, nonNegative(ms, "restDelayMs"), socketDelayMs, rejectStatus, rejectCount, dropAfterFrames,
            endAfterFrames);
    }

    /** Slow connect: accepts the socket upgrade only after {@code ms}. */
    public StandInScript withSocketDelayMs(final int ms) {
        return new StandInScript(mode, restDelayMs, nonNegative(ms, "socketDelayMs"), rejectStatus, rejectCount, dropAfterFrames,
            endAfterFrames);
    }

    /** Reject: every {@code POST /call} for this assistant answers {@code status}. */
    public StandInScript withReject(final int status) {
        return withRejectFirst(status, ALWAYS);
    }

    /** Reject: the first {@code times} {@code POST /call}s for this assistant answer {@code status}. */
    public StandInScript withRejectFirst(final int status, final int times) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("reject status must be 4xx or 5xx, was " + status);
        }
        return new StandInScript(mode, restDelayMs, socketDelayMs, status, nonNegative(times, "times"), dropAfterFrames, endAfterFrames);
    }

    /** Drop: closes the TCP connection without a close frame after {@code frames} caller frames. */
    public StandInScript withDropAfterFrames(final int frames) {
        return new StandInScript(mode, restDelayMs, socketDelayMs, rejectStatus, rejectCount, positive(frames, "frames"), endAfterFrames);
    }

    /** Ends the call like Vapi: {@code status-update} ended, then a close frame, after {@code frames} caller frames. */
    public StandInScript withEndAfterFrames(final int frames) {
        return new StandInScript(mode, restDelayMs, socketDelayMs, rejectStatus, rejectCount, dropAfterFrames, positive(frames, "frames"));
    }

    /** The socket behaviour. */
    public Mode mode() {
        return mode;
    }

    /** Delay before answering {@code POST /call}, ms. */
    public int restDelayMs() {
        return restDelayMs;
    }

    /** Delay before accepting the socket upgrade, ms. */
    public int socketDelayMs() {
        return socketDelayMs;
    }

    /** Status of rejected requests, or 0. */
    public int rejectStatus() {
        return rejectStatus;
    }

    /** How many requests are rejected ({@link #ALWAYS} for all). */
    public int rejectCount() {
        return rejectCount;
    }

    /** Caller frames after which the socket is dropped, or 0. */
    public int dropAfterFrames() {
        return dropAfterFrames;
    }

    /** Caller frames after which the call is ended, or 0. */
    public int endAfterFrames() {
        return endAfterFrames;
    }

    @Override
    public String toString() {
        return "StandInScript{" + mode + ", restDelayMs=" + restDelayMs + ", socketDelayMs=" + socketDelayMs + ", reject="
            + rejectStatus + "x" + rejectCount + ", dropAfterFrames=" + dropAfterFrames + ", endAfterFrames=" + endAfterFrames + "}";
    }

    private static int nonNegative(final int value, final String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    private static int positive(final int value, final String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
