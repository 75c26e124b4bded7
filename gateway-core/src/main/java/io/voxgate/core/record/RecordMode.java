package io.voxgate.core.record;

import java.util.Locale;

/**
 * Which calls a node records ({@code --record}).
 *
 * <p>Immutable; safe on any thread.
 */
public enum RecordMode {
    /** No call is recorded and none can be: the recording API answers 409. */
    NONE,
    /** Every call is recorded whole, from its admission (the start of its record) to its end. */
    ALL,
    /** A call is recorded only once asked to (admin API or the agent), from that moment. */
    ON_REQUEST;

    /** The mode named {@code text} ({@code none}, {@code all}, {@code on-request}). */
    public static RecordMode parse(final String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The option value that names this mode. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
