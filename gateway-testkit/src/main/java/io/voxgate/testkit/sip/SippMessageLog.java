package io.voxgate.testkit.sip;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a SIPp run's {@code -trace_msg} log says about its calls: when each INVITE left and its 200 came back (setup
 * time, setup rate) and how often a 200 to the initial INVITE arrived again after the call had already ACKed it (the
 * far end missed the ACK).
 *
 * <p>Immutable once parsed; safe on any thread.
 */
public final class SippMessageLog {
    private static final Pattern ENTRY = Pattern.compile("(?m)^-{10,} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6})\\s*\\n"
        + "\\S+ message (sent|received)[^\\n]*\\n\\s*\\n?([^\\n]*)\\n");
    private static final Pattern CALL_ID = Pattern.compile("(?mi)^(?:Call-ID|i):\\s*(\\S+)");
    private static final Pattern CSEQ = Pattern.compile("(?mi)^CSeq:\\s*(\\d+)\\s+(\\S+)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final long[] setupMicros;
    private final long firstInviteMicros;
    private final long lastAnswerMicros;
    private final int okAfterAck;

    private SippMessageLog(final long[] setupMicros, final long firstInviteMicros, final long lastAnswerMicros,
                           final int okAfterAck) {
        this.setupMicros = setupMicros;
        this.firstInviteMicros = firstInviteMicros;
        this.lastAnswerMicros = lastAnswerMicros;
        this.okAfterAck = okAfterAck;
    }

    /** Parses a {@link Sipp.Result#messages} log. */
    public static SippMessageLog parse(final String log) {
        final Matcher m = ENTRY.matcher(log);
        final List<int[]> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
        }
        final Map<String, Long> inviteSent = new HashMap<>();
        final Map<String, Long> answered = new HashMap<>();
        final Map<String, Boolean> acked = new HashMap<>();
        final LocalDateTime epoch = LocalDateTime.of(2000, 1, 1, 0, 0);
        int okAfterAck = 0;
        long firstInvite = Long.MAX_VALUE;
        long lastAnswer = Long.MIN_VALUE;
        for (int i = 0; i < starts.size(); i++) {
            final int from = starts.get(i)[0];
            final int to = i + 1 < starts.size() ? starts.get(i + 1)[0] : log.length();
            final String entry = log.substring(from, to);
            final Matcher head = ENTRY.matcher(entry);
            if (!head.lookingAt()) {
                continue;
            }
            final long micros = ChronoUnit.MICROS.between(epoch, LocalDateTime.parse(head.group(1), TIME));
            final boolean sent = "sent".equals(head.group(2));
            final String firstLine = head.group(3).trim();
            final Matcher callId = CALL_ID.matcher(entry);
            final Matcher cseq = CSEQ.matcher(entry);
            if (!callId.find() || !cseq.find()) {
                continue;
            }
            final String id = callId.group(1);
            final boolean initial = "1".equals(cseq.group(1));
            if (sent && initial && firstLine.startsWith("INVITE ")) {
                inviteSent.putIfAbsent(id, micros);
                firstInvite = Math.min(firstInvite, micros);
            } else if (sent && initial && firstLine.startsWith("ACK ")) {
                acked.put(id, true);
            } else if (!sent && initial && "INVITE".equals(cseq.group(2)) && firstLine.startsWith("SIP/2.0 200")) {
                if (acked.containsKey(id)) {
                    okAfterAck++;
                } else if (answered.putIfAbsent(id, micros) == null) {
                    lastAnswer = Math.max(lastAnswer, micros);
                }
            }
        }
        final long[] setups = answered.entrySet().stream().filter(e -> inviteSent.containsKey(e.getKey()))
            .mapToLong(e -> e.getValue() - inviteSent.get(e.getKey())).sorted().toArray();
        return new SippMessageLog(setups, firstInvite, lastAnswer, okAfterAck);
    }

    /** Calls whose INVITE was answered 200. */
    public int answered() {
        return setupMicros.length;
    }

    /** 200s to an initial INVITE that arrived after the call had sent its ACK. */
    public int okAfterAck() {
        return okAfterAck;
    }

    /** The {@code percentile} (0-100) of INVITE-to-200 times, in ms. */
    public double setupMs(final double percentile) {
        if (setupMicros.length == 0) {
            return Double.NaN;
        }
        final int index = (int) Math.min(setupMicros.length - 1, Math.ceil(percentile / 100 * setupMicros.length) - 1);
        return setupMicros[Math.max(0, index)] / 1000.0;
    }

    /** Answered calls per second, from the first INVITE to the last first 200. */
    public double setupRatePerSecond() {
        final long span = lastAnswerMicros - firstInviteMicros;
        return span <= 0 ? Double.NaN : setupMicros.length * 1_000_000.0 / span;
    }

    /** Every message of {@code log} in order, with when SIPp sent or received it, for timing one call's steps. */
    public static Timeline timeline(final String log) {
        final Matcher m = ENTRY.matcher(log);
        final LocalDateTime epoch = LocalDateTime.of(2000, 1, 1, 0, 0);
        final List<long[]> times = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        while (m.find()) {
            times.add(new long[] {ChronoUnit.MICROS.between(epoch, LocalDateTime.parse(m.group(1), TIME))});
            lines.add(m.group(2) + " " + m.group(3).trim());
        }
        return new Timeline(times, lines);
    }

    /**
     * The messages of one SIPp run as {@code sent FIRST-LINE} or {@code received FIRST-LINE}, with SIPp's timestamps.
     *
     * <p>Immutable; safe on any thread.
     */
    public static final class Timeline {
        private final List<long[]> micros;
        private final List<String> lines;

        private Timeline(final List<long[]> micros, final List<String> lines) {
            this.micros = micros;
            this.lines = lines;
        }

        /**
         * When the {@code occurrence}-th (from 1) message whose {@code sent|received FIRST-LINE} starts with
         * {@code prefix} was logged, in microseconds from SIPp's clock; -1 when there is none.
         */
        public long at(final String prefix, final int occurrence) {
            int seen = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix) && ++seen == occurrence) {
                    return micros.get(i)[0];
                }
            }
            return -1;
        }

        /** Microseconds from the first message starting with {@code from} to the first starting with {@code to}. */
        public long between(final String from, final String to) {
            return at(to, 1) - at(from, 1);
        }
    }

    @Override
    public String toString() {
        return answered() + " answered at " + String.format("%.1f", setupRatePerSecond()) + "/s, INVITE->200 p50 "
            + setupMs(50) + " ms p99 " + setupMs(99) + " ms max " + setupMs(100) + " ms, 200s after ACK " + okAfterAck
           ;
    }
}
