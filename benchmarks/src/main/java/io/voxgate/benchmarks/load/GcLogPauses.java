package io.voxgate.benchmarks.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of an external gateway, read from its unified GC log ({@code -Xlog:gc*:file=FILE}): every
 * line naming a {@code Pause} and ending with its duration, e.g. G1's
 * {@code GC(4) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms} or ZGC's
 * {@code GC(0) y: Pause Mark Start 0.012ms} ({@code gc+phases}, hence {@code gc*}). Only what was appended after
 * {@code fromOffset} counts, so pauses before the run (start-up, warm-up) are left out.
 *
 * <p>Immutable result of one read; stateless otherwise.
 *
 * @param pauses   pauses seen
 * @param maxMs    the longest, ms (the log's microsecond resolution)
 * @param totalMs  their sum, ms
 * @param over1Ms  pauses longer than 1 ms
 * @param over5Ms  pauses longer than 5 ms
 */
record GcLogPauses(long pauses, double maxMs, double totalMs, long over1Ms, long over5Ms) {
    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*?(\\d+(?:\\.\\d+)?)ms\\s*$");

    /** The file's length now (where a later {@link #read} should start), or 0 when it does not exist yet. */
    static long lengthOf(final Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** The pauses in {@code log} after byte {@code fromOffset}; when the log was rotated or truncated, all of it. */
    static GcLogPauses read(final Path log, final long fromOffset) throws IOException {
        final byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            final long from = file.length() < fromOffset ? 0 : fromOffset;
            final long length = file.length() - from;
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException(log + " grew by more than 2 GiB during the run");
            }
            bytes = new byte[(int) length];
            file.seek(from);
            file.readFully(bytes);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The pauses in {@code text}, lines of a unified GC log. */
    static GcLogPauses parse(final String text) {
        long pauses = 0;
        double max = 0;
        double total = 0;
        long over1 = 0;
        long over5 = 0;
        for (final String line : text.split("\n")) {
            final Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                final double ms = Double.parseDouble(m.group(1));
                pauses++;
                total += ms;
                max = Math.max(max, ms);
                over1 += ms > 1 ? 1 : 0;
                over5 += ms > 5 ? 1 : 0;
            }
        }
        return new GcLogPauses(pauses, max, total, over1, over5);
    }
}
