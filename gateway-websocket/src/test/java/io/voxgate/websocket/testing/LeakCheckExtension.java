package io.voxgate.websocket.testing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty buffer leak fail the build: installed for every test class through JUnit's extension
 * auto-detection ({@code META-INF/services} plus {@code junit-platform.properties}), it replaces Netty's leak
 * detector factory before any buffer class is loaded, records every leak report instead of only logging it, and
 * after each test class forces collection of unreachable buffers and fails when any was reported.
 *
 * <p>Leak detection itself runs at {@code paranoid} (surefire and failsafe set it), so every buffer is tracked.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(final ExtensionContext context) throws Exception {
        final List<String> found = collectLeaks();
        if (!found.isEmpty()) {
            throw new AssertionError("Netty buffer leak(s) in " + context.getDisplayName() + ":\n" + String.join("\n---\n", found));
        }
    }

    /** Forces collection of unreachable buffers, then returns (and forgets) every leak reported so far. */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            awaitOneCollection();
            // Leaks are reported when a new buffer is tracked; allocate some to drain the detectors' queues.
            for (int i = 0; i < 64; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                PooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                UnpooledByteBufAllocator.DEFAULT.directBuffer(16).release();
            }
        }
        final List<String> found = new ArrayList<>(LEAKS);
        LEAKS.removeAll(found);
        return found;
    }

    /** Collects garbage until a sentinel weak reference has been enqueued, so earlier garbage is processed too. */
    private static void awaitOneCollection() throws InterruptedException {
        final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        final WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        for (int i = 0; i < 20; i++) {
            System.gc();
            if (queue.remove(100) != null) {
                break;
            }
        }
        sentinel.clear();
    }

    /** Netty's detector, with reports recorded. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(final Class<T> resource, final int samplingInterval,
                                                                   final long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
                @Override
                protected boolean needReport() {
                    return true;
                }

                @Override
                protected void reportTracedLeak(final String resourceType, final String records) {
                    LEAKS.add("LEAK " + resourceType + records);
                }

                @Override
                protected void reportUntracedLeak(final String resourceType) {
                    LEAKS.add("LEAK " + resourceType + " (untraced)");
                }
            };
        }
    }
}
