package io.voxgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball {@code mvn package} leaves in {@code target/}, unpacked in an empty directory as an operator would:
 * its launcher runs the demo from another directory, its jar runs under plain {@code java -jar}, and its systemd
 * unit passes {@code systemd-analyze verify}.
 */
class DistributionIT {
    private static final long DEMO_TIMEOUT_S = 240;

    @TempDir
    static Path unpacked;
    private static Path home;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        final Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("voxgate-.+\\.tar\\.gz")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no target/voxgate-<version>.tar.gz: run mvn package first"));
        }
        final Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString())
            .inheritIO().start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar -xzf " + tarball);
        try (Stream<Path> dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
    }

    @Test
    void shouldHoldTheLauncherJarExampleConfigAndUnit() {
        assertTrue(Files.isExecutable(home.resolve("bin/voxgate")), "bin/voxgate executable");
        assertTrue(Files.isRegularFile(home.resolve("lib/voxgate.jar")), "lib/voxgate.jar");
        assertTrue(Files.isRegularFile(home.resolve("etc/voxgate.properties.example")), "etc/voxgate.properties.example");
        assertTrue(Files.isRegularFile(home.resolve("systemd/voxgate.service")), "systemd/voxgate.service");
    }

    @Test
    void shouldRunTheDemoFromAnotherDirectory(@TempDir final Path elsewhere) throws IOException, InterruptedException {
        final Path log = elsewhere.resolve("demo.log");
        final Process demo = new ProcessBuilder(home.resolve("bin/voxgate").toString(), "demo")
            .directory(elsewhere.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final boolean ended = demo.waitFor(DEMO_TIMEOUT_S, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "demo still running after " + DEMO_TIMEOUT_S + " s:\n" + output);
        assertEquals(0, demo.exitValue(), output);
        assertTrue(Files.isDirectory(elsewhere.resolve("demo-output")), "demo-output written in the working directory");
    }

    @Test
    void shouldCarryTheAgronaExportInTheJarManifest() throws IOException {
        try (JarFile jar = new JarFile(home.resolve("lib/voxgate.jar").toFile())) {
            final Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("java.base/jdk.internal.misc", main.getValue("Add-Exports"));
            assertEquals("io.voxgate.app.Voxgate", main.getValue("Main-Class"));
        }
    }

    @Test
    void shouldPassSystemdVerification() throws IOException, InterruptedException {
        final String tool = findOnPath("systemd-analyze");
        assumeTrue(tool != null, "systemd-analyze is not installed (apt-get install systemd); unit not verified");
        // The unit names /opt/voxgate; verify checks that ExecStart exists, so point it at this unpacked copy.
        final String unit = Files.readString(home.resolve("systemd/voxgate.service"), StandardCharsets.UTF_8)
            .replace("/opt/voxgate/", home.toAbsolutePath() + "/");
        final Path copy = unpacked.resolve("voxgate.service");
        Files.writeString(copy, unit, StandardCharsets.UTF_8);
        final Process verify = new ProcessBuilder(tool, "verify", copy.toString()).redirectErrorStream(true).start();
        final String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify ended");
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip(), "systemd-analyze verify says nothing about a clean unit");
    }

    /** Runs {@code bin/voxgate args} without any Twilio or Voxgate variable in its environment; output in {@code log}. */
    private static Process launch(final Path dir, final Path log, final String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/voxgate").toString());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TWILIO_") || name.startsWith("VOXGATE_")
            || name.startsWith("VAPI_"));
        return builder.start();
    }

    @Test
    void shouldRunSipOnlyWithoutTwilioSettingsAndDrainOnSigterm(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("run.log");
        final int sipPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sipPort = probe.getLocalPort();
        }
        final Process run = launch(dir, log, "run", "--sip-port", Integer.toString(sipPort), "--sip-transport", "udp",
            "--bind", "127.0.0.1", "--http-port", "0", "--admin-port", "0", "--agent", "echo");
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String output = "";
        while (run.isAlive() && !output.contains("Voxgate listening") && System.nanoTime() < giveUp) {
            TimeUnit.MILLISECONDS.sleep(200);
            output = Files.readString(log, StandardCharsets.UTF_8);
        }
        assertTrue(output.contains("Voxgate listening"), "a SIP-only run starts:\n" + output);
        assertTrue(output.contains("(no Twilio edge)") && output.contains("sip port " + sipPort), output);
        run.destroy();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "drained and exited after SIGTERM");
        assertEquals(0, run.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitTwoNamingTheOptionsWhenNoEdgeIsConfigured(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("run.log");
        final Process run = launch(dir, log, "run");
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(2, run.exitValue(), output);
        assertTrue(output.contains("--public-url or --sip-port: no edge configured"), output);
    }

    @Test
    void shouldReadOptionsGivenBeforeTheCommand(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("demo.log");
        final Process demo = launch(dir, log, "--max-calls=0", "demo");
        assertTrue(demo.waitFor(60, TimeUnit.SECONDS));
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(2, demo.exitValue(), output);
        assertTrue(output.contains("--max-calls: 0 is outside"), "the option before demo reached the demo: " + output);
    }

    @Test
    void shouldPrintTheVersionAndCommit(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("version.log");
        final Process version = launch(dir, log, "--version");
        assertTrue(version.waitFor(60, TimeUnit.SECONDS));
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, version.exitValue(), output);
        assertTrue(output.matches("(?s)voxgate \\S+ \\(commit ([0-9a-f]{7,40}|unknown)\\), Java .*"), output);
    }

    private static String findOnPath(final String name) {
        for (final String dir : List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))) {
            final Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
