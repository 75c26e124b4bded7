package io.voxgate.testkit.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one SIPVicious tool ({@code svmap}, {@code svwar}, {@code svcrack}: scanners and a password cracker nobody
 * here wrote) against a loopback target, bound to a chosen source address, under a hard deadline. Never passes
 * {@code -R} (report back) or {@code -A} (look up our address): nothing leaves the machine. Skips the test when the
 * tool is missing (Debian package {@code sipvicious}; CI installs it).
 */
public final class Sipvicious {
    private static final long DEADLINE_S = 90;

    private Sipvicious() {
    }

    /**
     * Runs {@code tool} with {@code args} from {@code sourceAddress} and returns its console output.
     *
     * @param tool one of {@code svmap}, {@code svwar}, {@code svcrack}
     */
    public static String run(final String tool, final String sourceAddress, final String... args) {
        Assumptions.assumeTrue(installed(tool), tool + " is not installed (apt-get install sipvicious); CI runs these tests");
        try {
            final Path dir = Files.createTempDirectory("voxgate-" + tool);
            final Path out = dir.resolve("output.log");
            final List<String> cmd = new ArrayList<>(List.of(tool, "-b", sourceAddress));
            cmd.addAll(List.of(args));
            // HOME moved to the temporary directory: the tools keep session files under ~/.sipvicious.
            final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
            pb.environment().put("HOME", dir.toString());
            final Process p = pb.start();
            if (!p.waitFor(DEADLINE_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return Files.readString(out, StandardCharsets.ISO_8859_1);
        } catch (final IOException ex) {
            throw new IllegalStateException(tool + " could not run: " + ex.getMessage(), ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + tool + " ran", ex);
        }
    }

    private static boolean installed(final String tool) {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
