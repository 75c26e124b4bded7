package io.voxgate.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the gateway's call count and memory every {@value #INTERVAL_SECONDS} s of a run, on its own daemon thread,
 * so the control thread can keep placing calls; the time series goes to {@code result.json} and {@code memory.png}
 * and feeds the {@link SoakVerdict}.
 *
 * <p>Threading: {@link #start}, {@link #stop} and {@link #samples} on the control thread; the source is called on
 * the sampling thread only. Lifecycle: {@link #close} ends the thread.
 */
final class SoakMonitor implements AutoCloseable {
    static final int INTERVAL_SECONDS = 10;

    /** Where samples come from: the in-process gateway's JVM or an external gateway's {@code /metrics} and {@code /proc}. */
    interface Source {
        /** The figures now, stamped {@code seconds} into the run. */
        SoakSample sample(double seconds) throws InterruptedException;
    }

    private final Source source;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "load-soak-sampler");
        t.setDaemon(true);
        return t;
    });
    private final List<SoakSample> samples = new ArrayList<>();
    private long originNs;

    SoakMonitor(final Source source) {
        this.source = source;
    }

    /** Takes a sample now and then every {@value #INTERVAL_SECONDS} s, times counted from {@code originNs}. */
    void start(final long originNs) {
        this.originNs = originNs;
        timer.scheduleAtFixedRate(this::takeSample, 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops sampling and takes a last sample (so a run shorter than the interval still has its end). */
    void stop() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
            timer.shutdownNow();
        }
        takeSample();
    }

    /** The samples, in time order. */
    synchronized List<SoakSample> samples() {
        return List.copyOf(samples);
    }

    private void takeSample() {
        try {
            final SoakSample s = source.sample((System.nanoTime() - originNs) / 1e9);
            synchronized (this) {
                samples.add(s);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
