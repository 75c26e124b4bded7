package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an external gateway's pauses from its unified GC log. */
class GcLogPausesTest {
    private static final String ZGC = String.join("\n",
        "[1.234s][info][gc,start    ] GC(3) Garbage Collection (Allocation Rate)",
        "[1.235s][info][gc,phases   ] GC(3) y: Pause Mark Start 0.012ms",
        "[1.300s][info][gc,phases   ] GC(3) y: Concurrent Mark 64.512ms",
        "[1.301s][info][gc,phases   ] GC(3) y: Pause Mark End 1.250ms",
        "[1.302s][info][gc,stats    ]    Phase: Pause Mark End        0.009 / 0.009       0.009 / 0.009       ms",
        "[1.400s][info][gc,phases   ] GC(3) y: Pause Relocate Start 6.001ms",
        "[1.500s][info][gc          ] GC(3) Garbage Collection (Allocation Rate) 34M(2%)->20M(1%)",
        "");
    private static final String G1 = String.join("\n",
        "[0.500s][info][gc,start] GC(0) Pause Young (Normal) (G1 Evacuation Pause)",
        "[0.502s][info][gc,phases] GC(0)   Pre Evacuate Collection Set: 0.1ms",
        "[0.503s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms",
        "");

    @Test
    void shouldCountZgcPausePhasesAndNotItsConcurrentPhasesOrStatistics() {
        final GcLogPauses p = GcLogPauses.parse(ZGC);
        assertEquals(3, p.pauses());
        assertEquals(6.001, p.maxMs(), 1e-9);
        assertEquals(7.263, p.totalMs(), 1e-9);
        assertEquals(2, p.over1Ms());
        assertEquals(1, p.over5Ms());
    }

    @Test
    void shouldCountTheG1PauseOnceFromItsEndLine() {
        final GcLogPauses p = GcLogPauses.parse(G1);
        assertEquals(1, p.pauses());
        assertEquals(2.345, p.maxMs(), 1e-9);
    }

    @Test
    void shouldReadOnlyWhatWasAppendedAfterTheOffset(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("gc.log");
        Files.writeString(log, G1, StandardCharsets.UTF_8);
        final long from = GcLogPauses.lengthOf(log);
        Files.writeString(log, ZGC, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(3, GcLogPauses.read(log, from).pauses());
    }

    @Test
    void shouldReadAllOfALogThatWasTruncatedSince(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("gc.log");
        Files.writeString(log, G1, StandardCharsets.UTF_8);
        assertEquals(1, GcLogPauses.read(log, 1_000_000).pauses());
        assertEquals(0, GcLogPauses.lengthOf(dir.resolve("none.log")));
    }
}
