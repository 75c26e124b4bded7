package io.voxgate.benchmarks.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import io.voxgate.app.metrics.GatewayMetrics;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Resources of this JVM, which hosts the gateway in the in-process mode (and the generator too: the two share the
 * machine and the JVM, so process CPU and heap include the simulator; the thread split tells them apart for CPU).
 *
 * <p>GC pauses come from the collectors' notifications. Only stop-the-world collectors count: a bean whose name says
 * {@code Cycles} or {@code Concurrent} (ZGC's and G1's concurrent work) reports a concurrent phase, not a pause.
 * Collections the generator asked for itself ({@code System.gc()}, to measure live heap) are kept apart.
 *
 * <p>Threading: {@link #snapshot} and {@link #liveHeapBytes} on the control thread, {@link #soakSample} on any (it
 * reads thread-safe MXBeans only); notifications arrive on a JMX
 * thread, so the pause figures are guarded by this object's lock. Lifecycle: {@link #close} removes the listeners.
 */
final class JvmResources implements AutoCloseable {
    private static final String GATEWAY_THREADS = "voxgate-";
    private static final String GENERATOR_THREADS = "twilio-simulator";
    private static final String SIP_GENERATOR_THREADS = "sip-load";

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final List<String> collectors = new ArrayList<>();

    private long pauses;
    private long pauseMaxMs;
    private long pauseTotalMs;
    private long pausesOver1Ms;
    private long pausesOver5Ms;
    private long requestedCollections;

    JvmResources() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(gc.getName());
            if (gc instanceof NotificationEmitter) {
                final NotificationEmitter emitter = (NotificationEmitter) gc;
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** The collector beans, e.g. {@code [ZGC Cycles, ZGC Pauses]}. */
    List<String> collectors() {
        return collectors;
    }

    private void onGc(final Notification notification, final Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        final String name = info.getGcName().toLowerCase(Locale.ROOT);
        final boolean concurrent = name.contains("cycles") || name.contains("concurrent");
        synchronized (this) {
            if ("System.gc()".equals(info.getGcCause())) {
                requestedCollections++;
            } else if (!concurrent) {
                final long ms = info.getGcInfo().getDuration();
                pauses++;
                pauseTotalMs += ms;
                pauseMaxMs = Math.max(pauseMaxMs, ms);
                pausesOver1Ms += ms > 1 ? 1 : 0;
                pausesOver5Ms += ms > 5 ? 1 : 0;
            }
        }
    }

    /** Stop-the-world pauses seen (ones the generator requested excluded). */
    synchronized long pauses() {
        return pauses;
    }

    /** Longest such pause, ms (the JMX figure's resolution). */
    synchronized long pauseMaxMs() {
        return pauseMaxMs;
    }

    /** Sum of such pauses, ms. */
    synchronized long pauseTotalMs() {
        return pauseTotalMs;
    }

    /** Such pauses longer than 1 ms (so of 2 ms or more, at the JMX figure's resolution). */
    synchronized long pausesOver1Ms() {
        return pausesOver1Ms;
    }

    /** Such pauses longer than 5 ms. */
    synchronized long pausesOver5Ms() {
        return pausesOver5Ms;
    }

    /** Calls, heap, heap after the last collection, direct memory and RSS of this JVM now; {@code activeCalls} given. */
    SoakSample soakSample(final double seconds, final long activeCalls) {
        return new SoakSample(seconds, activeCalls, memory.getHeapMemoryUsage().getUsed(), GatewayMetrics.heapAfterLastCollectionBytes(),
            GatewayMetrics.nettyDirectMemoryBytes(), rssBytes(Path.of("/proc/self/status")));
    }

    /** {@code VmRSS} of a {@code /proc/<pid>/status} file, in bytes, or -1 when it cannot be read (not Linux). */
    static long rssBytes(final Path status) {
        try {
            for (final String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    final String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) * 1_024;
                }
            }
            return -1;
        } catch (final IOException | NumberFormatException ex) {
            return -1;
        }
    }

    /** Collections requested by {@link #liveHeapBytes}. */
    synchronized long requestedCollections() {
        return requestedCollections;
    }

    /** Process, per-side thread CPU and memory now. */
    ResourceSnapshot snapshot() {
        long gatewayNs = 0;
        long generatorNs = 0;
        final long[] ids = threads.getAllThreadIds();
        final ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            final long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu < 0) {
                continue;
            }
            if (infos[i].getThreadName().startsWith(GATEWAY_THREADS)) {
                gatewayNs += cpu;
            } else if (infos[i].getThreadName().startsWith(GENERATOR_THREADS)
                || infos[i].getThreadName().startsWith(SIP_GENERATOR_THREADS)) {
                generatorNs += cpu;
            }
        }
        return new ResourceSnapshot(System.nanoTime(), os.getProcessCpuTime(), gatewayNs, generatorNs,
            memory.getHeapMemoryUsage().getUsed(), GatewayMetrics.nettyDirectMemoryBytes());
    }

    /**
     * Heap in use after a full collection the generator asks for: the live set, generator's share included. With ZGC
     * (what {@code load.sh} runs) the collection is concurrent and its pauses stay sub-millisecond.
     */
    long liveHeapBytes() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        for (final NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (final ListenerNotFoundException ex) {
                throw new IllegalStateException("GC listener vanished", ex);
            }
        }
    }
}
