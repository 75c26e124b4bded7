package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    private static final String[] TOOLS = {"--voxgate-launcher", "bin/voxgate", "--voxgate-jar", "voxgate.jar", "--bridge-run-dir", "b"};

    private static SideBySide.TargetFigures figures(final String target, final double userS, final double systemS, final long rss,
                                                    final long heardP50Us) {
        return new SideBySide.TargetFigures(target, 100, 100, 100_000, 0, 0, heardP50Us, 2 * heardP50Us, 1_000, 2_000, userS, systemS,
            2_000, rss, rss, 30, 5);
    }

    @Test
    void shouldRunAllThreeGatewaysAtAHundredCallsThroughMulawByDefault() {
        final SideBySideOptions o = SideBySideOptions.parse(TOOLS);
        assertEquals(100, o.calls());
        assertEquals("mulaw/8000", o.agentFormat());
        assertEquals("auto", o.ioTransport());
        assertEquals(List.of(SideBySideOptions.Target.VOXGATE_VAPI, SideBySideOptions.Target.VOXGATE_ECHO,
            SideBySideOptions.Target.BRIDGE), o.targets());
        assertEquals(Path.of("b"), o.bridgeDir());
    }

    @Test
    void shouldRefuseTheBridgeWithoutItsInstalledDirectory() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SideBySideOptions.parse("--voxgate-launcher", "bin/voxgate", "--voxgate-jar", "voxgate.jar"));
        assertTrue(ex.getMessage().contains("--bridge-run-dir"), ex.getMessage());
        assertEquals(List.of(SideBySideOptions.Target.VOXGATE_ECHO), SideBySideOptions.parse("--targets", "voxgate-echo",
            "--voxgate-launcher", "bin/voxgate", "--voxgate-jar", "voxgate.jar").targets());
    }

    @Test
    void shouldNameTheOptionOfAnUnknownTargetOrTransport() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySideOptions.parse("--targets", "asterisk"))
            .getMessage().startsWith("--targets"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySideOptions.parse("--io-transport", "kqueue",
            "--voxgate-launcher", "v", "--voxgate-jar", "j", "--bridge-run-dir", "b")).getMessage().startsWith("--io-transport"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySideOptions.parse("--calls", "5001", TOOLS[0], TOOLS[1]))
            .getMessage().startsWith("--calls"));
    }

    @Test
    void shouldReadUserAndSystemTicksPastACommandNameWithSpacesAndParentheses() {
        final String stat = "4242 (node server (1).js) S 1 4242 4242 0 -1 4194560 2768 0 0 0 731 129 0 0 20 0 11 0 123 0 0";
        assertArrayEquals(new long[] {731, 129}, SideBySide.parseStat(stat));
    }

    @Test
    void shouldGiveCpuPerCallAsAShareOfOneCorePerCallSecond() {
        // 3 s user and 1 s system over 100 calls of 20 s: 0.15 % and 0.05 % of a core per call.
        final SideBySide.TargetFigures f = figures("voxgate-echo", 3, 1, 1, 1);
        assertEquals(0.15, f.userPercentPerCall(), 1e-9);
        assertEquals(0.05, f.systemPercentPerCall(), 1e-9);
        assertEquals(0.20, f.totalPercentPerCall(), 1e-9);
    }

    @Test
    void shouldDivideEveryVoxgateRowByTheBridgeRow() {
        final SideBySideOptions o = SideBySideOptions.parse(TOOLS);
        final String table = SideBySideTable.markdown(List.of(figures("voxgate-vapi", 2, 2, 200 << 20, 30_000),
            figures("voxgate-echo", 1, 1, 100 << 20, 20_000), figures("bridge", 4, 4, 100 << 20, 40_000)), o);

        assertTrue(table.contains("| voxgate-vapi | 0.50 | 0.50 | 0.50 | 2.00 | 0.75 | 0.75 |"), table);
        assertTrue(table.contains("| voxgate-echo | 0.25 | 0.25 | 0.25 | 1.00 | 0.50 | 0.50 |"), table);
        assertTrue(table.contains("| bridge | 100/100 | 0 of 100000 | 40.0 / 80.0 |"), table);
    }

    @Test
    void shouldSayNotApplicableWhenTheBridgeFigureIsUnknownOrZero() {
        assertEquals("n/a", SideBySideTable.ratio(1, 0));
        assertEquals("n/a", SideBySideTable.ratio(-1, 2));
        assertEquals("n/a", SideBySideTable.ratio(1, Double.NaN));
        assertEquals("0.33", SideBySideTable.ratio(1, 3));
    }
}
