package io.voxgate.core.call;

import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.transfer.TransferRequest;
import java.util.Locale;
import java.util.Objects;

/**
 * What a call does when its agent's connection fails mid-call (socket dropped, the agent's server failing, a
 * timeout), as opposed to the agent hanging up: the caller hears the {@link HoldPrompt} while the call opens a new
 * agent for {@link #reconnectMs()} (0: no reconnect, the call ends as before), the new agent told the call is resumed;
 * when that fails, the {@link Fallback} decides: hang up, transfer the caller to {@link #transferTarget()}, or try the
 * {@link #fallbackAgents()} once more for the same time.
 *
 * <p>Immutable; safe on any thread.
 */
public final class AgentRecovery {
    /**
     * Default reconnect window, ms: long enough for a new Vapi call (its create has a 5 s deadline with one retry
     * inside, and typically answers in well under a second) and short enough that a caller hearing the hold beep
     * rarely hangs up first; anything above 10 s of hold with no voice loses most callers.
     */
    public static final int DEFAULT_RECONNECT_MS = 6_000;
    /** No reconnect: a failed agent ends the call as it always did. */
    public static final AgentRecovery NONE = new AgentRecovery(0, Fallback.HANGUP, null, null, null);

    /** What happens when reconnecting fails. */
    public enum Fallback {
        /** Hang up. */
        HANGUP,
        /** Transfer the caller to {@link #transferTarget()}; hang up if that fails too. */
        TRANSFER,
        /** Try another agent ({@link #fallbackAgents()}); hang up if that fails too. */
        AGENT;

        /** The lower-case name used in the CDR and the metrics. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int reconnectMs;
    private final Fallback fallback;
    private final String transferTarget;
    private final VoiceAgentFactory fallbackAgents;
    private final String fallbackAgentName;

    private AgentRecovery(final int reconnectMs, final Fallback fallback, final String transferTarget,
                          final VoiceAgentFactory fallbackAgents, final String fallbackAgentName) {
        this.reconnectMs = reconnectMs;
        this.fallback = fallback;
        this.transferTarget = transferTarget;
        this.fallbackAgents = fallbackAgents;
        this.fallbackAgentName = fallbackAgentName;
    }

    /**
     * Reconnect for {@code reconnectMs} (0 turns recovery off), then hang up.
     *
     * @throws IllegalArgumentException when negative or above 60 s
     */
    public static AgentRecovery reconnect(final int reconnectMs) {
        if (reconnectMs < 0 || reconnectMs > 60_000) {
            throw new IllegalArgumentException("agent reconnect must be 0-60000 ms, was " + reconnectMs);
        }
        return new AgentRecovery(reconnectMs, Fallback.HANGUP, null, null, null);
    }

    /** As this, transferring to {@code target} when reconnecting fails. */
    public AgentRecovery thenTransfer(final String target) {
        final String checked = TransferRequest.of(target, null, TransferRequest.Origin.OPERATOR).target();
        return new AgentRecovery(reconnectMs, Fallback.TRANSFER, checked, null, null);
    }

    /** As this, trying the agents of {@code agents} (named {@code name} in records) when reconnecting fails. */
    public AgentRecovery thenAgent(final String name, final VoiceAgentFactory agents) {
        return new AgentRecovery(reconnectMs, Fallback.AGENT, null, Objects.requireNonNull(agents, "agents"),
            Objects.requireNonNull(name, "name"));
    }

    /** How long the call tries to reconnect, ms; 0 when it does not. */
    public int reconnectMs() {
        return reconnectMs;
    }

    /** What happens when reconnecting fails. */
    public Fallback fallback() {
        return fallback;
    }

    /** The transfer target of {@link Fallback#TRANSFER}, else null. */
    public String transferTarget() {
        return transferTarget;
    }

    /** The agents of {@link Fallback#AGENT}, else null. */
    public VoiceAgentFactory fallbackAgents() {
        return fallbackAgents;
    }

    /** The name of {@link Fallback#AGENT}'s agents, else null. */
    public String fallbackAgentName() {
        return fallbackAgentName;
    }

    @Override
    public String toString() {
        return reconnectMs == 0 ? "no reconnect" : "reconnect " + reconnectMs + " ms, then " + fallback.label()
            + (transferTarget != null ? " " + transferTarget : fallbackAgentName != null ? " " + fallbackAgentName : "");
    }
}
