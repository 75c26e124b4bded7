package io.voxgate.app.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdrWriterTest {
    private static final long FRAME_NS = 20_000_000L;

    @TempDir
    Path dir;

    private long now = 5_000_000_000L;

    private final CallerLeg leg = new CallerLeg() {
        @Override
        public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        }

        @Override
        public void clearCallerPlayback(final long nowNs) {
        }

        @Override
        public boolean sendDigits(final String digits, final long nowNs) {
            return true;
        }

        @Override
        public void hangUp(final String reason, final long nowNs) {
        }
    };

    /** A call of {@code frames} 20 ms frames through a registry whose end observer is {@code writer}. */
    private void endCall(final CdrWriter writer, final String callId, final int frames) {
        endCall(writer, "twilio", callId, Map.of(), frames, session -> { });
    }

    /** As above on {@code edge}, with the call's metadata, and {@code beforeEnd} run on its session just before it ends. */
    private void endCall(final CdrWriter writer, final String edge, final String callId, final Map<String, String> metadata,
                         final int frames, final Consumer<CallSession> beforeEnd) {
        final CallRegistry registry = new CallRegistry(10, writer::onCallEnded);
        final CallSession session = new CallOpener(registry, call -> new EchoAgent(AudioFormat.MULAW_8K),
            CallSessionConfig.defaults().withBargeInVad(false), () -> now).forEdge(edge, UnaryOperator.identity())
            .open(callId, metadata, AudioFormat.MULAW_8K, leg, Runnable::run, now).session();
        session.start(now);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);
        for (int i = 0; i < frames; i++) {
            now += FRAME_NS;
            session.onCallerAudio(frame, 0, 160, now);
            session.onTick(now);
        }
        beforeEnd.accept(session);
        session.end("caller hung up \"now\"", now);
    }

    private static List<String> awaitLines(final Path file, final int count) throws IOException, InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < giveUp) {
            if (Files.exists(file)) {
                final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() >= count) {
                    return lines;
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void shouldWriteOneJsonLinePerEndedCallWithItsFigures() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file)) {
            endCall(writer, "CA1", 50);

            final List<String> lines = awaitLines(file, 1);

            assertEquals(1, lines.size(), lines.toString());
            final JsonNode cdr = new ObjectMapper().readTree(lines.get(0));
            assertEquals("CA1", cdr.get("callId").asText());
            assertEquals("twilio", cdr.get("edge").asText());
            assertEquals("caller hung up \"now\"", cdr.get("endReason").asText());
            assertEquals(1000, cdr.get("durationMs").asLong());
            assertEquals(50, cdr.get("framesIn").asLong());
            assertEquals(0, cdr.get("dtmfIn").asLong());
            assertTrue(cdr.get("endedAt").asText().endsWith("Z"), cdr.toString());
            assertEquals(1, writer.recordsWritten());
            assertEquals(0, writer.recordsDropped());
        }
    }

    @Test
    void shouldWriteToANewFileAfterReopen() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        final Path rotated = dir.resolve("cdr.jsonl.1");
        try (CdrWriter writer = new CdrWriter(file)) {
            endCall(writer, "CA1", 5);
            awaitLines(file, 1);
            Files.move(file, rotated);

            writer.reopen();
            endCall(writer, "CA2", 5);

            final List<String> lines = awaitLines(file, 1);
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).contains("\"callId\":\"CA2\""), lines.get(0));
            assertEquals(1, Files.readAllLines(rotated).size());
        }
    }

    @Test
    void shouldWriteEveryFieldOfATwilioCallWithTheUnknownMediaFiguresAsNull() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file, null, "echo")) {
            endCall(writer, "twilio", "CA1", Map.of("From", "+14155550123", "To", "+14155550100"), 50, session -> { });

            final JsonNode cdr = new ObjectMapper().readTree(awaitLines(file, 1).get(0));

            for (final String field : List.of("callId", "edge", "from", "to", "agent", "startedAt", "answeredAt", "endedAt",
                "durationMs", "endReason", "endedBy", "codec", "framesIn", "framesOut", "framesLost", "lateDrops", "concealed",
                "jitterMs", "rttMs", "mos", "agentConnectMs", "agentFirstAudioP50Ms", "agentFirstAudioMaxMs", "agentTurns",
                "bargeIns", "dtmfIn", "dtmfOut")) {
                assertTrue(cdr.has(field), field + " in " + cdr);
            }
            assertEquals("+14155550123", cdr.get("from").asText());
            assertEquals("+14155550100", cdr.get("to").asText());
            assertEquals("echo", cdr.get("agent").asText());
            assertEquals("mulaw/8000", cdr.get("codec").asText());
            assertEquals("caller", cdr.get("endedBy").asText(), cdr.toString());
            assertTrue(cdr.get("jitterMs").isNull() && cdr.get("rttMs").isNull() && cdr.get("mos").isNull(),
                "a Twilio call has no RTP of its own to measure: " + cdr);
            assertTrue(cdr.get("agentFirstAudioP50Ms").isNull(), "no caller turn ended: " + cdr);
            assertEquals(0, cdr.get("agentTurns").asLong());
        }
    }

    @Test
    void shouldNameTheRecordingAndItsPausedSpans() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file, null, "echo")) {
            final CallRegistry registry = new CallRegistry(10, writer::onCallEnded);
            final CallSession session = new CallOpener(registry, call -> new EchoAgent(AudioFormat.MULAW_8K),
                CallSessionConfig.defaults().withBargeInVad(false), () -> now).forEdge("twilio", UnaryOperator.identity())
                .recordingTo(new RecordingRing("/var/rec", 1 << 16), RecordMode.ALL)
                .open("CA3", Map.of(), AudioFormat.MULAW_8K, leg, Runnable::run, now).session();
            session.start(now);
            now += 1_000 * 1_000_000L;
            session.proxy().offer(CallCommand.RECORDING_PAUSE);
            now += 1_500 * 1_000_000L;
            session.proxy().offer(CallCommand.RECORDING_RESUME);
            now += 500 * 1_000_000L;
            session.end("bye", now);

            final JsonNode cdr = new ObjectMapper().readTree(awaitLines(file, 1).get(0));
            assertEquals("/var/rec/CA3.wav", cdr.get("recording").asText());
            assertEquals("[[1000,2500]]", cdr.get("recordingPaused").toString());
        }
    }

    @Test
    void shouldWriteTheCallersMediaFiguresAndTheirEModelMos() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file, null, "parrot")) {
            // 1,000 frames expected, 20 never arrived and 10 too late: 3 % loss; jitter 4.5 ms, buffer 60 ms, no RTCP.
            endCall(writer, "sip", "call@host", Map.of(), 10, session -> session.stats().callerMedia()
                .publish(1_000, 20, 10, 30, 4_500, -1, 60_000));

            final JsonNode cdr = new ObjectMapper().readTree(awaitLines(file, 1).get(0));

            assertEquals("sip", cdr.get("edge").asText());
            assertEquals(20, cdr.get("framesLost").asLong());
            assertEquals(10, cdr.get("lateDrops").asLong());
            assertEquals(30, cdr.get("concealed").asLong());
            assertEquals(4.5, cdr.get("jitterMs").asDouble());
            assertTrue(cdr.get("rttMs").isNull(), cdr.toString());
            // G.711 without Appendix I concealment at 3 % loss and 80 ms (60 ms buffer + one frame): G.107 by hand.
            final double r = 93.2 - 0.024 * 80 - 95.0 * 3 / (3 + 4.3);
            assertEquals(1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6, cdr.get("mos").asDouble(), 0.006, cdr.toString());
            assertEquals(2.69, cdr.get("mos").asDouble(), 0.006, "two decimals");
        }
    }

    @Test
    void shouldNameNoRecordingForACallThatWasNotRecorded() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file, null, "echo")) {
            endCall(writer, "CA4", 5);

            final JsonNode cdr = new ObjectMapper().readTree(awaitLines(file, 1).get(0));
            assertEquals(null, cdr.get("recording"));
            assertEquals(null, cdr.get("recordingPaused"));
        }
    }
}
