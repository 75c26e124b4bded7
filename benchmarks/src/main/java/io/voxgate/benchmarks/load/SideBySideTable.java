package io.voxgate.benchmarks.load;

import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table in Markdown: one row per gateway, then one row per Voxgate target giving its figures over
 * the bridge's (CPU per call user, system and total, RSS, heard latency). Stateless; safe on any thread.
 */
final class SideBySideTable {
    private SideBySideTable() {
    }

    /** The table of {@code figures} (rows in run order), with the run's parameters above it. */
    static String markdown(final List<SideBySide.TargetFigures> figures, final SideBySideOptions options) {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d calls at %d/s, %d s of audio each, Voxgate agent format %s, --io-transport %s, "
            + "%d processors%n%n", options.calls(), options.rampPerSecond(), options.holdSeconds(), options.agentFormat(),
            options.ioTransport(), Runtime.getRuntime().availableProcessors()));
        sb.append("| gateway | calls ok | frames lost | heard p50 / p99 (ms) | round trip p50 / p99 (ms) | user CPU s | system CPU s "
            + "| CPU per call, % of a core (user + system) | peak RSS (MiB) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (final SideBySide.TargetFigures f : figures) {
            sb.append(String.format(Locale.ROOT, "| %s | %d/%d | %d of %d | %s / %s | %s / %s | %.2f | %.2f | %.3f + %.3f = %.3f | %s |%n",
                f.target(), f.callsOk(), f.calls(), f.framesLost(), f.framesSent(), ms(f.heardP50Us()), ms(f.heardP99Us()),
                ms(f.roundTripP50Us()), ms(f.roundTripP99Us()), f.userCpuSeconds(), f.systemCpuSeconds(), f.userPercentPerCall(),
                f.systemPercentPerCall(), f.totalPercentPerCall(), mib(f.peakRssBytes())));
        }
        final SideBySide.TargetFigures bridge = SideBySide.byTarget(figures).get(SideBySideOptions.Target.BRIDGE.label());
        if (bridge != null) {
            sb.append("\n| Voxgate / bridge | CPU per call user | system | total | peak RSS | heard p50 | heard p99 |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (final SideBySide.TargetFigures f : figures) {
                if (f == bridge) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", f.target(),
                    ratio(f.userPercentPerCall(), bridge.userPercentPerCall()),
                    ratio(f.systemPercentPerCall(), bridge.systemPercentPerCall()),
                    ratio(f.totalPercentPerCall(), bridge.totalPercentPerCall()), ratio(f.peakRssBytes(), bridge.peakRssBytes()),
                    ratio(f.heardP50Us(), bridge.heardP50Us()), ratio(f.heardP99Us(), bridge.heardP99Us())));
            }
        }
        return sb.toString();
    }

    /** {@code a / b} to two places, or {@code n/a} when either is unknown (negative, NaN) or {@code b} is zero. */
    static String ratio(final double a, final double b) {
        if (!(a >= 0) || !(b > 0)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String ms(final long us) {
        return us < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", us / 1e3);
    }

    private static String mib(final long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }
}
