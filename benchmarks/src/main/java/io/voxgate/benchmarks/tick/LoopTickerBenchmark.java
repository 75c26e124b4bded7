package io.voxgate.benchmarks.tick;

import io.netty.channel.embedded.EmbeddedChannel;
import io.voxgate.core.tick.LoopTicker;
import io.voxgate.core.tick.TickMember;
import io.voxgate.core.tick.TickMembership;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 20 ms period of a loop's media clock with {@code streams} Twilio streams whose agent speaks at real time (its
 * audio leaves as it arrives, so no stream ever has paced audio due): what the ticker costs a loop per period.
 * <ul>
 *   <li>{@code dueTimes=false}: streams that tell no due time, as before issue 17's cut: the timer wakes once per
 *       phase (ten times) and every wake-up reads every stream, its call and its queue to find nothing due;</li>
 *   <li>{@code dueTimes=true}: streams that tell their due time (far: the idle deadline), as the Twilio stream now
 *       does: the ten wake-ups skip them without reading them, and each is ticked once per period by the safety
 *       sweep of its slot's phase.</li>
 * </ul>
 * Each stream reads two further objects, as a stream reads its session and the session its pacing queue. The timer
 * is the benchmark loop itself: an embedded event loop, whose scheduled tasks never run, takes the ticker's timers.
 *
 * <p>Threading: one benchmark thread, which is the ticker's loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class LoopTickerBenchmark {
    private static final long IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Param({"50", "250"})
    public int streams;

    @Param({"false", "true"})
    public boolean dueTimes;

    private EmbeddedChannel loop;
    private LoopTicker ticker;
    private long nowNs;

    /** What a stream's session keeps: its pacing queue. */
    static final class Session {
        final Queue queue = new Queue();
    }

    /** What a pacing queue answers: when its next frame is due; never, for an agent at real time. */
    static final class Queue {
        long nextReleaseNs = Long.MAX_VALUE;
    }

    /** A stream as the ticker sees it: the idle check, then the session's next release. */
    final class Stream implements TickMember {
        final Session session = new Session();
        long lastInboundNs;
        long released;
        TickMembership membership;

        @Override
        public String callId() {
            return "bench";
        }

        @Override
        public void onTick(final long tickNs) {
            if (tickNs - lastInboundNs > IDLE_TIMEOUT_NS) {
                throw new IllegalStateException("idle");
            }
            if (session.queue.nextReleaseNs <= tickNs) {
                released++;
            }
            if (dueTimes) {
                membership.tickAt(Math.min(session.queue.nextReleaseNs, lastInboundNs + IDLE_TIMEOUT_NS));
            }
        }

        @Override
        public void onTickFailed(final RuntimeException failure, final long tickNs) {
            throw failure;
        }
    }

    private Stream[] all;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new EmbeddedChannel();
        nowNs = 1_000_000_000L;
        ticker = new LoopTicker(loop.eventLoop(), () -> nowNs, LoopTicker.PERIOD_NS, LoopTicker.PHASES);
        all = new Stream[streams];
        for (int i = 0; i < streams; i++) {
            all[i] = new Stream();
            all[i].membership = ticker.joinEveryWakeUp(all[i]);
        }
        period();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (final Stream s : all) {
            s.membership.leave();
        }
        loop.finishAndReleaseAll();
    }

    /** One period: the timer's wake-ups in 20 ms, one per phase. */
    @Benchmark
    public long period() {
        final int wakeUps = LoopTicker.PHASES;
        final long step = LoopTicker.PERIOD_NS / wakeUps;
        for (final Stream s : all) {
            // A frame a period keeps arriving: each stream's idle deadline moves on, as its read would move it.
            s.lastInboundNs = nowNs;
        }
        for (int w = 0; w < wakeUps; w++) {
            nowNs += step;
            ticker.tick(nowNs);
        }
        return ticker.wakeUps();
    }
}
