package io.voxgate.app.config;

/**
 * How an option's text is read; each kind validates the text and names the option in its error.
 *
 * <p>Immutable; safe on any thread.
 */
enum OptionKind {
    /** A whole number within the option's range. */
    INTEGER,
    /** {@code true} or {@code false}; as a flag, present means true. */
    BOOLEAN,
    /** One of a fixed set of words. */
    CHOICE,
    /** Free text, checked by the option's own rule. */
    TEXT
}
