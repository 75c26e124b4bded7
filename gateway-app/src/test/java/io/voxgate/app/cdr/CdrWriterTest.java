package io.voxgate.app.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
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
        final CallRegistry registry = new CallRegistry(10, writer::onCallEnded);
        final CallSession session = new CallOpener(registry, call -> new EchoAgent(AudioFormat.MULAW_8K),
            CallSessionConfig.defaults().withBargeInVad(false), () -> now).forEdge("twilio", UnaryOperator.identity())
            .open(callId, Map.of(), AudioFormat.MULAW_8K, leg, Runnable::run, now).session();
        session.start(now);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);
        for (int i = 0; i < frames; i++) {
            now += FRAME_NS;
            session.onCallerAudio(frame, 0, 160, now);
            session.onTick(now);
        }
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
    void shouldNameTheRecordingAndItsPausedSpans() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file)) {
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
    void shouldNameNoRecordingForACallThatWasNotRecorded() throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        try (CdrWriter writer = new CdrWriter(file)) {
            endCall(writer, "CA4", 5);

            final JsonNode cdr = new ObjectMapper().readTree(awaitLines(file, 1).get(0));
            assertEquals(null, cdr.get("recording"));
            assertEquals(null, cdr.get("recordingPaused"));
        }
    }
}
