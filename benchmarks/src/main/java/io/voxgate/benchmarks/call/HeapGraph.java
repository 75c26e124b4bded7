package io.voxgate.benchmarks.call;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.UnsafeApi;
import org.openjdk.jol.vm.VM;

/**
 * Walks object graphs and sums the shallow sizes (JOL's {@code sizeOf}, so headers, padding and compressed references
 * are the running JVM's) of every object reached, each object counted once across all walks of one instance.
 *
 * <p>Objects in the stop set, classes, class loaders and threads are neither counted nor followed: they are node-wide
 * (config, clock, registry, the event loop's own thread state), not what one call keeps alive. Fields are read with
 * Agrona's {@link UnsafeApi}, so JDK internals need no {@code --add-opens}; the graph may change while it is walked
 * (live calls), which makes a figure approximate to a few objects, never wrong in kind.
 *
 * <p>Threading: one thread per instance. A measuring tool, not production code: it allocates freely.
 */
final class HeapGraph {
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Class<?>, List<Long>> referenceOffsets = new HashMap<>();
    private final Map<Class<?>, long[]> bytesByClass = new HashMap<>();

    /** Marks {@code objects} as already seen: later walks neither count nor follow them. */
    void stopAt(final Object... objects) {
        for (final Object o : objects) {
            if (o != null) {
                seen.add(o);
            }
        }
    }

    /** Undoes {@link #stopAt} for {@code objects}, so a later walk counts and follows them. */
    void resume(final Object... objects) {
        for (final Object o : objects) {
            seen.remove(o);
        }
    }

    /** Bytes of every object reachable from {@code roots} that no earlier walk of this instance counted. */
    long walk(final Object... roots) {
        final ArrayDeque<Object> pending = new ArrayDeque<>();
        for (final Object root : roots) {
            if (root != null) {
                pending.push(root);
            }
        }
        long total = 0;
        while (!pending.isEmpty()) {
            final Object o = pending.pop();
            if (o instanceof Class || o instanceof ClassLoader || o instanceof Thread || !seen.add(o)) {
                continue;
            }
            final long size = VM.current().sizeOf(o);
            total += size;
            final long[] perClass = bytesByClass.computeIfAbsent(o.getClass(), c -> new long[2]);
            perClass[0] += size;
            perClass[1]++;
            if (o instanceof Object[]) {
                for (final Object element : (Object[]) o) {
                    if (element != null) {
                        pending.push(element);
                    }
                }
            } else if (!o.getClass().isArray()) {
                for (final long offset : offsetsOf(o.getClass())) {
                    final Object ref = UnsafeApi.getReference(o, offset);
                    if (ref != null) {
                        pending.push(ref);
                    }
                }
            }
        }
        return total;
    }

    /** Bytes and object count per class over every walk so far: {@code [bytes, count]}. */
    Map<Class<?>, long[]> bytesByClass() {
        return bytesByClass;
    }

    private List<Long> offsetsOf(final Class<?> type) {
        return referenceOffsets.computeIfAbsent(type, t -> {
            final List<Long> offsets = new ArrayList<>();
            for (Class<?> c = t; c != null; c = c.getSuperclass()) {
                for (final Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        offsets.add(UnsafeApi.objectFieldOffset(f));
                    }
                }
            }
            return offsets;
        });
    }
}
