package io.voxgate.testkit.twilio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one simulated call does: who calls whom, what the caller says (streamed in real time, 20 ms per message),
 * which DTMF digits it presses when, how long it listens after speaking, whether it hangs up ({@code stop}) or waits
 * for the gateway to, whether its requests are signed, and where to record what it heard.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class CallPlan {
    private final String callSid;
    private final String from;
    private final String to;
    private final SimulatedAudio audio;
    private final List<Dtmf> dtmf;
    private final int listenAfterMs;
    private final boolean hangUp;
    private final boolean signWebhook;
    private final boolean signUpgrade;
    private final boolean sendCallToken;
    private final Path recording;

    private CallPlan(final Builder b) {
        this.callSid = b.callSid == null ? randomSid("CA") : b.callSid;
        this.from = b.from;
        this.to = b.to;
        this.audio = b.audio;
        this.dtmf = Collections.unmodifiableList(new ArrayList<>(b.dtmf));
        this.listenAfterMs = b.listenAfterMs;
        this.hangUp = b.hangUp;
        this.signWebhook = b.signWebhook;
        this.signUpgrade = b.signUpgrade;
        this.sendCallToken = b.sendCallToken;
        this.recording = b.recording;
    }

    /** A plan saying one second of silence, then hanging up. */
    public static Builder builder() {
        return new Builder();
    }

    /** A Twilio-shaped SID: {@code prefix} plus 32 lowercase hex digits. */
    public static String randomSid(final String prefix) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix + String.format("%016x%016x", random.nextLong(), random.nextLong());
    }

    /** The call's CallSid. */
    public String callSid() {
        return callSid;
    }

    /** The caller's number. */
    public String from() {
        return from;
    }

    /** The called number. */
    public String to() {
        return to;
    }

    /** What the caller says. */
    public SimulatedAudio audio() {
        return audio;
    }

    /** Digits pressed, in time order. */
    public List<Dtmf> dtmf() {
        return dtmf;
    }

    /** How long the caller keeps listening after its audio ends, before hanging up. */
    public int listenAfterMs() {
        return listenAfterMs;
    }

    /** Whether the caller ends the stream with {@code stop}; otherwise it waits for the gateway to close. */
    public boolean hangUp() {
        return hangUp;
    }

    /** Whether the webhook POST carries a signature. */
    public boolean signWebhook() {
        return signWebhook;
    }

    /** Whether the WebSocket upgrade carries a signature. */
    public boolean signUpgrade() {
        return signUpgrade;
    }

    /** Whether {@code start} passes on the TwiML's {@code callToken} parameter. */
    public boolean sendCallToken() {
        return sendCallToken;
    }

    /** Where to write a mu-law WAV of what the caller heard, or {@code null}. */
    public Path recording() {
        return recording;
    }

    /** A digit pressed {@code atMs} after the stream started. */
    public record Dtmf(char digit, int atMs) {
    }

    /** Builds a {@link CallPlan}; not thread-safe. */
    public static final class Builder {
        private String callSid;
        private String from = "+15005550006";
        private String to = "+15005550001";
        private SimulatedAudio audio = SimulatedAudio.silence(1_000);
        private final List<Dtmf> dtmf = new ArrayList<>();
        private int listenAfterMs = 500;
        private boolean hangUp = true;
        private boolean signWebhook = true;
        private boolean signUpgrade = true;
        private boolean sendCallToken = true;
        private Path recording;

        private Builder() {
        }

        /** The CallSid (default: random). */
        public Builder callSid(final String sid) {
            this.callSid = Objects.requireNonNull(sid, "callSid");
            return this;
        }

        /** Caller and called numbers. */
        public Builder numbers(final String fromNumber, final String toNumber) {
            this.from = Objects.requireNonNull(fromNumber, "from");
            this.to = Objects.requireNonNull(toNumber, "to");
            return this;
        }

        /** What the caller says. */
        public Builder audio(final SimulatedAudio said) {
            this.audio = Objects.requireNonNull(said, "audio");
            return this;
        }

        /** Presses {@code digit} {@code atMs} after the stream starts. */
        public Builder dtmf(final char digit, final int atMs) {
            if (atMs < 0) {
                throw new IllegalArgumentException("DTMF time must be >= 0 ms, was " + atMs);
            }
            dtmf.add(new Dtmf(digit, atMs));
            dtmf.sort((a, b) -> Integer.compare(a.atMs(), b.atMs()));
            return this;
        }

        /** How long to keep listening after the audio ends. */
        public Builder listenAfterMs(final int ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("listenAfterMs must be >= 0, was " + ms);
            }
            this.listenAfterMs = ms;
            return this;
        }

        /** Whether the caller hangs up with {@code stop} (default) or waits for the gateway to close. */
        public Builder hangUp(final boolean sendStop) {
            this.hangUp = sendStop;
            return this;
        }

        /** Whether the webhook is signed (default yes; needs an auth token). */
        public Builder signWebhook(final boolean sign) {
            this.signWebhook = sign;
            return this;
        }

        /** Whether the upgrade is signed (default yes; needs an auth token). */
        public Builder signUpgrade(final boolean sign) {
            this.signUpgrade = sign;
            return this;
        }

        /** Whether {@code start} carries the TwiML's call token (default yes). */
        public Builder sendCallToken(final boolean send) {
            this.sendCallToken = send;
            return this;
        }

        /** Records what the caller heard to {@code wav}. */
        public Builder recording(final Path wav) {
            this.recording = wav;
            return this;
        }

        /** The plan. */
        public CallPlan build() {
            return new CallPlan(this);
        }
    }
}
