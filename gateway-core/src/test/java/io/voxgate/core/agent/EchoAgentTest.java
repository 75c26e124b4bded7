package io.voxgate.core.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EchoAgentTest {
    private final RecordingListener listener = new RecordingListener();

    private EchoAgent connected(final AudioFormat format) {
        final EchoAgent agent = new EchoAgent(format);
        agent.connect(new AgentCall("CA1", "twilio", Map.of(), Runnable::run), listener, 0L);
        return agent;
    }

    @Test
    void shouldConnectAtOnce() {
        connected(AudioFormat.MULAW_8K);

        assertEquals(1, listener.connects);
    }

    @Test
    void shouldReturnEveryFrameAtOnceAndByteExact() {
        final EchoAgent agent = connected(AudioFormat.PCM16_24K);
        final byte[] frame = new byte[961];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 31);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        agent.onCallerAudio(buffer, 1, 960, 42L);

        assertSame(buffer, listener.lastBuffer);
        assertArrayEquals(java.util.Arrays.copyOfRange(frame, 1, 961), listener.audio.toByteArray());
        assertEquals(42L, listener.chunkTimesNs.get(0));
        assertEquals(AudioFormat.PCM16_24K, agent.audioFormat());
    }

    @Test
    void shouldFallSilentOnceClosed() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);
        agent.close("bye", 0L);

        agent.onCallerAudio(new UnsafeBuffer(new byte[160]), 0, 160, 0L);

        assertEquals(0, listener.audio.size());
    }

    @Test
    void shouldSendEachCallerDigitBackAsADigitRequest() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);

        agent.onCallerDigit('7', 42L);
        agent.onCallerDigit('#', 43L);

        assertEquals(List.of("7", "#"), listener.digits);
        assertEquals(List.of(42L, 43L), listener.digitTimesNs);
        assertEquals(2, agent.digitsEchoed());
        assertTrue(listener.events.isEmpty(), "a digit is no longer reported as a conversation event");
    }

    @Test
    void shouldEchoEveryDtmfDigitWithoutAllocatingANewString() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);

        for (final char digit : DtmfDigits.ALPHABET.toCharArray()) {
            agent.onCallerDigit(digit, 0L);
        }
        agent.onCallerDigit('5', 0L);

        assertEquals(DtmfDigits.ALPHABET, String.join("", listener.digits.subList(0, 16)));
        assertSame(listener.digits.get(5), listener.digits.get(16), "one shared string per digit");
    }

    @Test
    void shouldPassACharacterOutsideTheAlphabetBackForTheCallToDrop() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);

        agent.onCallerDigit('x', 0L);

        assertEquals(List.of("x"), listener.digits);
    }

    @Test
    void shouldNotEchoDigitsOnceClosed() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);
        agent.close("bye", 0L);

        agent.onCallerDigit('1', 0L);

        assertTrue(listener.digits.isEmpty());
        assertEquals(0, agent.digitsEchoed());
    }
}
