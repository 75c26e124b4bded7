package io.voxgate.core.agent;

import java.util.Objects;

/**
 * A conversation event reported by an agent: a transcript line, model output, a status change.
 *
 * <p>Immutable; safe on any thread. Events are rare (a few per turn) and leave the media path, so they are
 * plain objects.
 */
public final class AgentEvent {
    /** What kind of event it is. */
    public enum Kind {
        /** Speech recognised from the caller or the assistant. */
        TRANSCRIPT,
        /** Text the agent's model produced. */
        MODEL_OUTPUT,
        /** A lifecycle status reported by the agent. */
        STATUS,
        /** Anything else worth keeping with the call record. */
        OTHER,
        /**
         * The agent asks to control the call's recording; the text is the action: {@code start}, {@code pause},
         * {@code resume} or {@code stop} (as the admin API's). An impossible action is counted and ignored.
         */
        RECORDING
    }

    private final Kind kind;
    private final String role;
    private final String text;

    /** An event of {@code kind}, said by {@code role} (e.g. {@code user}, {@code assistant}). */
    public AgentEvent(final Kind kind, final String role, final String text) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.role = role == null ? "" : role;
        this.text = text == null ? "" : text;
    }

    /** What kind of event it is. */
    public Kind kind() {
        return kind;
    }

    /** Who it is about: {@code user}, {@code assistant}, or empty. */
    public String role() {
        return role;
    }

    /** The event's text. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return kind + "[" + role + "] " + text;
    }
}
