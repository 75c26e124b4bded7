package io.voxgate.core.agent;

import io.voxgate.core.audio.AudioFormat;

/**
 * Builds the agents that live inside the gateway and need no account: {@value #ECHO} ({@link EchoAgent}) and
 * {@value #PARROT} ({@link ParrotAgent}).
 *
 * <p>Stateless; safe on any thread. Each agent it makes belongs to one call.
 */
public final class EmbeddedAgents {
    /** Name of the {@link EchoAgent}. */
    public static final String ECHO = "echo";
    /** Name of the {@link ParrotAgent}. */
    public static final String PARROT = "parrot";

    private EmbeddedAgents() {
    }

    /**
     * A new agent named {@code name} speaking {@code format}.
     *
     * @throws IllegalArgumentException naming the agent when it is not {@value #ECHO} or {@value #PARROT}
     */
    public static VoiceAgent create(final String name, final AudioFormat format) {
        checkName(name);
        return ECHO.equals(name) ? new EchoAgent(format) : new ParrotAgent(format);
    }

    /**
     * A factory making a new agent named {@code name} speaking {@code format} for every call; the name is checked now.
     *
     * @throws IllegalArgumentException naming the agent when it is not {@value #ECHO} or {@value #PARROT}
     */
    public static VoiceAgentFactory factory(final String name, final AudioFormat format) {
        checkName(name);
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        return call -> create(name, format);
    }

    private static void checkName(final String name) {
        if (!ECHO.equals(name) && !PARROT.equals(name)) {
            throw new IllegalArgumentException("unknown embedded agent '" + name + "' (" + ECHO + ", " + PARROT + ")");
        }
    }
}
