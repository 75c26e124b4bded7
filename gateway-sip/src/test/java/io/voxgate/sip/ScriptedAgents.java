package io.voxgate.sip;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.call.SipCall;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;

/**
 * Scripted agents behind the real core for the SIP edge tests: each echoes every caller frame (the session's pacer,
 * lead 0 on RTP, sends one frame back per 20 ms tick), records digits, its start and its end, and optionally hangs up
 * by itself a number of 20 ms periods after it connected. The registry holds {@code maxCalls}.
 */
final class ScriptedAgents implements VoiceAgentFactory {
    final List<Echo> opened = new CopyOnWriteArrayList<>();
    final CallRegistry registry;
    final int hangUpAfterTicks;
    final CountDownLatch endedLatch;
    final CountDownLatch firstStarted = new CountDownLatch(1);
    /** When set, {@link #create} (on the call's loop, inside the core's open) waits for it, up to 10 s: a slow admission. */
    volatile CountDownLatch openGate;
    final CountDownLatch openEntered = new CountDownLatch(1);
    /** The agents' format: the caller's own for a byte-exact echo without transcoding. */
    volatile AudioFormat format = AudioFormat.MULAW_8K;
    private SipEdge edge;

    ScriptedAgents(final int maxCalls, final int hangUpAfterTicks, final int expectedEnds) {
        this.registry = new CallRegistry(maxCalls);
        this.hangUpAfterTicks = hangUpAfterTicks;
        this.endedLatch = new CountDownLatch(expectedEnds);
    }

    /** The edge under test over these agents; barge-in VAD off, as the caller talks over the echo. */
    SipEdge edge(final SipEdgeConfig config) {
        edge = TestMediaLoops.edge(config, registry, this, CallSessionConfig.defaults().withBargeInVad(false));
        return edge;
    }

    @Override
    public VoiceAgent create(final AgentCall call) {
        openEntered.countDown();
        final CountDownLatch gate = openGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        final Echo echo = new Echo(call, format);
        opened.add(echo);
        return echo;
    }

    /** Echoes caller frames; confined to the call's loop, read by tests after {@link #endedLatch}. */
    final class Echo implements VoiceAgent {
        final String callId;
        final Map<String, String> metadata;
        final StringBuilder digits = new StringBuilder();
        private final AgentCall agentCall;
        private final AudioFormat agentFormat;
        private AgentListener listener;
        volatile AudioFormat callerFormat;
        volatile SipCall call;
        volatile boolean started;
        volatile String endReason;
        /** Transfer states told to the agent, as {@code state:detail}. */
        final List<String> transferUpdates = new CopyOnWriteArrayList<>();

        Echo(final AgentCall agentCall, final AudioFormat agentFormat) {
            this.agentCall = agentCall;
            this.callId = agentCall.callId();
            this.metadata = agentCall.metadata();
            this.agentFormat = agentFormat;
        }

        @Override
        public AudioFormat audioFormat() {
            return agentFormat;
        }

        @Override
        public void connect(final AgentCall connected, final AgentListener agentListener, final long nowNs) {
            listener = agentListener;
            callerFormat = ((CallSession) agentListener).callerFormat();
            call = edge.call(callId);
            started = true;
            listener.onAgentConnected(nowNs);
            firstStarted.countDown();
            if (hangUpAfterTicks > 0) {
                ((ScheduledExecutorService) agentCall.executor()).schedule(() -> {
                    if (finish("agent hung up")) {
                        listener.onAgentClosed("agent hung up", System.nanoTime());
                    }
                }, hangUpAfterTicks * 20L, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            listener.onAgentAudio(audio, offset, length, nowNs);
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            digits.append(digit);
        }

        @Override
        public void onTransferUpdate(final TransferRequest request, final TransferState state, final String detail,
                                     final long nowNs) {
            transferUpdates.add(state.label() + ":" + detail);
        }

        @Override
        public void close(final String reason, final long nowNs) {
            if (reason.startsWith("refused:")) {
                opened.remove(this);
                return;
            }
            finish(reason);
        }

        private boolean finish(final String reason) {
            if (endReason != null) {
                return false;
            }
            endReason = reason;
            endedLatch.countDown();
            return true;
        }
    }
}
