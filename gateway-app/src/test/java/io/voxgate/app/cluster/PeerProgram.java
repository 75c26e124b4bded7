package io.voxgate.app.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A program the cluster tests run beside the nodes (redis-server, kamailio, haproxy): whether it is installed, the
 * wait for it to come up, and its stop. The tests skip with a message when it is not installed (CI installs the
 * packages in {@code .ci/run}). Threading: stateless.
 */
final class PeerProgram {
    private PeerProgram() {
    }

    /** Whether {@code command} (a program and its version flag) runs and exits 0 within 10 s. */
    static boolean installed(final String... command) {
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (final IOException ex) {
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls {@code up} every 50 ms until it holds.
     *
     * @throws IllegalStateException when the program exits first (naming its log) or is not up within {@code seconds}
     */
    static void awaitUp(final Process process, final String name, final Path log, final long seconds, final BooleanSupplier up)
        throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < giveUp) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + ": see " + log);
            }
            if (up.getAsBoolean()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(name + " was not up within " + seconds + " s: see " + log);
    }

    /** Sends SIGTERM and waits up to 10 s for the exit, then SIGKILL. */
    static void stop(final Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
