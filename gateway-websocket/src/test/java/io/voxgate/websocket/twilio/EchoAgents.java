package io.voxgate.websocket.twilio;

import io.netty.util.concurrent.EventExecutor;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Scripted agents for tests that run through the real core: each sends every caller frame straight back (the
 * session paces it to the caller) and records its call's start, digits and end, and any call made off the call's
 * event loop.
 */
final class EchoAgents implements VoiceAgentFactory {
    final Map<String, StringBuilder> digits = new ConcurrentHashMap<>();
    final Map<String, String> endReasons = new ConcurrentHashMap<>();
    final List<AgentCall> starts = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger wrongThread = new AtomicInteger();
    final CallRegistry registry = new CallRegistry(1_000);

    /**
     * The node's opener over these agents and {@link #registry}: barge-in VAD off, as the caller keeps talking over
     * the echo, which the VAD would rightly call a barge-in.
     */
    CallOpener opener() {
        return new CallOpener(registry, this, CallSessionConfig.defaults().withBargeInVad(false), SystemNanoClock.INSTANCE);
    }

    @Override
    public VoiceAgent create(final AgentCall call) {
        return new VoiceAgent() {
            private AgentListener listener;

            @Override
            public AudioFormat audioFormat() {
                return AudioFormat.MULAW_8K;
            }

            @Override
            public void connect(final AgentCall agentCall, final AgentListener agentListener, final long nowNs) {
                checkThread();
                listener = agentListener;
                starts.add(agentCall);
                digits.put(agentCall.callId(), new StringBuilder());
                open.incrementAndGet();
                listener.onAgentConnected(nowNs);
            }

            @Override
            public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
                checkThread();
                listener.onAgentAudio(audio, offset, length, nowNs);
            }

            @Override
            public void onCallerDigit(final char digit, final long nowNs) {
                checkThread();
                digits.get(call.callId()).append(digit);
            }

            @Override
            public void close(final String reason, final long nowNs) {
                checkThread();
                if (listener != null) {
                    endReasons.put(call.callId(), reason);
                    open.decrementAndGet();
                }
            }

            private void checkThread() {
                if (!((EventExecutor) call.executor()).inEventLoop()) {
                    wrongThread.incrementAndGet();
                }
            }
        };
    }
}
