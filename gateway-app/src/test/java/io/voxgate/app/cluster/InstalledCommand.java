package io.voxgate.app.cluster;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether a peer the cluster tests start (redis-server, kamailio, haproxy) is installed here: its version command runs
 * and exits 0 within 10 s. The tests skip with a message when it is not (CI installs the packages in {@code .ci/run}).
 * Threading: stateless.
 */
final class InstalledCommand {
    private InstalledCommand() {
    }

    /** Whether {@code command} (a program and its version flag) runs and exits 0. */
    static boolean runs(final String... command) {
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
}
