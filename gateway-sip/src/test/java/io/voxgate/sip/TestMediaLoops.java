package io.voxgate.sip;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.tick.LoopTickers;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The media loops of the SIP tests, as the launcher would make them: two NIO loops of daemon threads, shared by the
 * tests of this JVM (the edge does not own its loops), and an edge built over the real core on them.
 */
final class TestMediaLoops {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("test-media", true),
        NioIoHandler.newFactory());

    private TestMediaLoops() {
    }

    /** An edge whose calls are opened by the real core over {@code registry} and {@code agents}. */
    static SipEdge edge(final SipEdgeConfig config, final CallRegistry registry, final VoiceAgentFactory agents,
                        final CallSessionConfig sessions) {
        return new SipEdge(config, new CallOpener(registry, agents, sessions, SystemNanoClock.INSTANCE),
            new LoopTickers(SystemNanoClock.INSTANCE), GROUP);
    }
}
