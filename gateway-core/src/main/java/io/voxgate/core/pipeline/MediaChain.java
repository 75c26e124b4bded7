package io.voxgate.core.pipeline;

import java.util.Objects;

/**
 * A media path declared as the ordered list of its stages, read top to bottom: where the audio enters first,
 * where it leaves last. The chain does not move audio itself (each stage hands on to the next in its own shape);
 * it is the one place that says which stages a path has, in which order, and reads all their counters.
 *
 * <p>Threading: immutable list; reading counters follows {@link MediaStage#counters}. Allocates only when built
 * and when counters or the description are read, never on the media path.
 */
public final class MediaChain {

    /** Receives one counter of one stage of the chain. */
    @FunctionalInterface
    public interface CounterVisitor {
        /** Counter {@code counter} of stage {@code stage} has {@code value}. */
        void counter(String stage, String counter, long value);
    }

    private final String name;
    private final MediaStage[] stages;

    private MediaChain(final String name, final MediaStage[] stages) {
        this.name = name;
        this.stages = stages;
    }

    /**
     * A chain named {@code name} of {@code stages}, first to last.
     *
     * @throws IllegalArgumentException when there is no stage
     * @throws NullPointerException     when the name or a stage is null
     */
    public static MediaChain of(final String name, final MediaStage... stages) {
        Objects.requireNonNull(name, "name");
        if (stages.length == 0) {
            throw new IllegalArgumentException("a chain needs at least one stage");
        }
        final MediaStage[] copy = stages.clone();
        for (final MediaStage stage : copy) {
            Objects.requireNonNull(stage, "stage");
        }
        return new MediaChain(name, copy);
    }

    /** The chain's name. */
    public String name() {
        return name;
    }

    /** Number of stages. */
    public int size() {
        return stages.length;
    }

    /** Stage {@code index}, 0 being where the audio enters. */
    public MediaStage stage(final int index) {
        return stages[index];
    }

    /** Hands every counter of every stage to {@code visitor}, stage by stage in chain order. */
    public void counters(final CounterVisitor visitor) {
        for (final MediaStage stage : stages) {
            final String stageName = stage.name();
            stage.counters((counter, value) -> visitor.counter(stageName, counter, value));
        }
    }

    /** The counters as {@code stage{counter=value, ...} -> ...}, for a log line. */
    public String describeCounters() {
        final StringBuilder sb = new StringBuilder(name).append(": ");
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                sb.append(" -> ");
            }
            sb.append(stages[i].name()).append('{');
            final int start = sb.length();
            stages[i].counters((counter, value) -> {
                if (sb.length() > start) {
                    sb.append(", ");
                }
                sb.append(counter).append('=').append(value);
            });
            sb.append('}');
        }
        return sb.toString();
    }

    /** The chain as {@code name: first -> second -> ...}. */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder(name).append(": ");
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                sb.append(" -> ");
            }
            sb.append(stages[i].name());
        }
        return sb.toString();
    }
}
