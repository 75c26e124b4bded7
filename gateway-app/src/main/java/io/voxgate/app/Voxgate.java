package io.voxgate.app;

import io.voxgate.app.config.CommandLine;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.demo.Demo;
import io.voxgate.app.runtime.Gateway;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code voxgate} command: {@code run} serves calls until SIGTERM, then drains and exits 0; {@code demo} runs
 * a loopback gateway with simulated calls and prints a report. Configuration errors name the option and exit 2
 * before anything listens.
 *
 * <p>Threading: {@code main} is the control thread; the gateway runs on its own event loops.
 */
public final class Voxgate {
    /** Exit status for a configuration error: nothing was started. */
    public static final int EXIT_CONFIG = 2;
    /** Exit status when the demo saw a problem. */
    public static final int EXIT_DEMO_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Voxgate.class);

    private Voxgate() {
    }

    /** Entry point. */
    public static void main(final String[] args) {
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        final CommandLine cli;
        final GatewayConfig config;
        try {
            cli = CommandLine.parse(args);
            if (cli.helpRequested()) {
                out.print(cli.usage());
                return;
            }
            if (cli.versionRequested()) {
                out.print(CommandLine.version());
                return;
            }
            config = GatewayConfig.load(cli.flags(), cli.configFile(), System.getenv());
            if ("run".equals(cli.command())) {
                config.requireRunnable();
            }
        } catch (final IllegalArgumentException ex) {
            err.println("voxgate: " + ex.getMessage());
            err.println("Run ./voxgate --help for every option.");
            System.exit(EXIT_CONFIG);
            return;
        }
        LogFormat.apply(config.logFormat());
        if ("demo".equals(cli.command())) {
            System.exit(new Demo(config, out).run() ? 0 : EXIT_DEMO_FAILED);
            return;
        }
        run(config, err);
    }

    private static void run(final GatewayConfig config, final PrintStream err) {
        LOG.info("starting with {}", config);
        final Gateway gateway;
        try {
            gateway = Gateway.start(config, config.publicUrl().map(Object::toString).orElse(null), config.secrets());
        } catch (final RuntimeException ex) {
            err.println("voxgate: cannot start: " + ex.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        HangUpSignal.install(gateway::reopenFiles);
        final CountDownLatch drained = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: draining");
            gateway.drain();
            drained.countDown();
            LogFormat.flush();
            // A JVM ended by SIGTERM reports 143; a drained gateway exited cleanly and says so.
            Runtime.getRuntime().halt(0);
        }, "voxgate-drain"));
        try {
            drained.await();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
