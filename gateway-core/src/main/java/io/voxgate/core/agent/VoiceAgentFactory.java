package io.voxgate.core.agent;

/**
 * Makes one {@link VoiceAgent} per call; the composition root chooses which factory an edge uses (embedded
 * echo or parrot, Vapi).
 *
 * <p>Threading: {@link #create} is called on the new call's thread; implementations must be safe to call from
 * several event loops at once.
 */
@FunctionalInterface
public interface VoiceAgentFactory {

    /** A new, not yet connected agent for {@code call}. */
    VoiceAgent create(AgentCall call);
}
