package io.voxgate.core.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.voxgate.core.audio.AudioFormat;
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
    void shouldReportADigitAsAnEvent() {
        final EchoAgent agent = connected(AudioFormat.MULAW_8K);

        agent.onCallerDigit('7', 0L);

        assertEquals("dtmf 7", listener.events.get(0).text());
    }
}
