package io.voxgate.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedAgentsTest {

    @Test
    void shouldBuildTheNamedAgentInTheGivenFormat() {
        assertTrue(EmbeddedAgents.create("echo", AudioFormat.MULAW_8K) instanceof EchoAgent);
        final VoiceAgent parrot = EmbeddedAgents.create("parrot", AudioFormat.PCM16_24K);
        assertTrue(parrot instanceof ParrotAgent);
        assertEquals(AudioFormat.PCM16_24K, parrot.audioFormat());
    }

    @Test
    void shouldMakeANewAgentPerCall() {
        final VoiceAgentFactory factory = EmbeddedAgents.factory("parrot", AudioFormat.MULAW_8K);
        final AgentCall call = new AgentCall("CA1", "twilio", Map.of(), Runnable::run);

        assertNotSame(factory.create(call), factory.create(call));
    }

    @Test
    void shouldRejectAnUnknownAgentNamingIt() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> EmbeddedAgents.factory("siri", AudioFormat.MULAW_8K));
        assertTrue(ex.getMessage().contains("siri"), ex.getMessage());
    }
}
