package io.voxgate.app.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call recording on a running node, checked channel by channel: a caller (Twilio simulator, or SIPp with an RTP peer)
 * says a 440 Hz tone, then is silent while the parrot agent replays it; an operator pauses the recording for a second
 * through the admin API. The WAV has the tone on the left while the caller spoke and on the right while the parrot
 * replayed, exact zeros on both channels over the paused span the CDR lists, a valid header and the call's length.
 */
@Timeout(120)
class RecordingIT {
    private static final String TWILIO_TOKEN = "recording-twilio-token";
    private static final String ADMIN_TOKEN = "recording-admin-token";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TONE_MS = 1_200;
    private static final int RATE = 8_000;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int sipPort = FreePorts.udpAndTcp();
    private int rtpPort;
    private Gateway gateway;
    private TwilioCallSimulator simulator;
    private RtpPeer peer;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(final String record, final Path recordingDir, final boolean withSip) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "parrot");
        flags.put(GatewayOption.RECORD, record);
        flags.put(GatewayOption.RECORDING_DIR, recordingDir.toString());
        flags.put(GatewayOption.CDR_FILE, dir.resolve("cdr.jsonl").toString());
        if (withSip) {
            rtpPort = FreePorts.rtpPair();
            flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
            flags.put(GatewayOption.SIP_TRANSPORT, "udp");
            flags.put(GatewayOption.RTP_PORTS, rtpPort + "-" + (rtpPort + 3));
        }
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TWILIO_TOKEN, Secrets.VOXGATE_ADMIN_TOKEN, ADMIN_TOKEN);
        gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TWILIO_TOKEN).closeTimeoutMs(30_000).build();
    }

    /** A 440 Hz tone, then silence while the parrot replays it, {@code totalMs} in all. */
    private static SimulatedAudio toneThenSilence(final int totalMs) {
        return SimulatedAudio.concat(SimulatedAudio.tone(440, TONE_MS, 8_000), SimulatedAudio.silence(totalMs - TONE_MS));
    }

    private HttpResponse<String> recording(final String callId, final String body) throws Exception {
        final String path = "/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8) + "/recording";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String action(final String name) {
        return "{\"action\":\"" + name + "\"}";
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private long metric(final String name) throws Exception {
        final Matcher m = Pattern.compile("(?m)^" + name + "(?:_total)? ([0-9.eE+]+)$").matcher(metrics());
        assertTrue(m.find(), name + " is exported");
        return (long) Double.parseDouble(m.group(1));
    }

    /** Waits until a call of {@code edge} is active; returns its id. */
    private String awaitActive(final String edge) throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUp) {
            final HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/calls")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
            for (final JsonNode call : JSON.readTree(list.body()).get("calls")) {
                if (edge.equals(call.get("edge").asText()) && "active".equals(call.get("state").asText())) {
                    return call.get("id").asText();
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("no active " + edge + " call");
    }

    /** Waits until the calls API shows the recording of {@code callId} in {@code state}. */
    private void awaitRecordingState(final String callId, final String state) throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < giveUp) {
            final HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            if (one.statusCode() == 200 && state.equals(JSON.readTree(one.body()).get("recording").asText())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("the recording of " + callId + " never became " + state);
    }

    private JsonNode awaitCdr(final String callId) throws Exception {
        final Path cdr = dir.resolve("cdr.jsonl");
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUp) {
            if (Files.exists(cdr)) {
                for (final String line : Files.readAllLines(cdr)) {
                    final JsonNode record = JSON.readTree(line);
                    if (callId.equals(record.get("callId").asText())) {
                        return record;
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("no CDR for " + callId);
    }

    private static Path awaitFile(final Path file) throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < giveUp, "no " + file);
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return file;
    }

    /** Pauses the recording of {@code callId} 3.5 s into the call for a second. */
    private void pauseASecond(final String callId, final long activeNs) throws Exception {
        TimeUnit.NANOSECONDS.sleep(activeNs + TimeUnit.MILLISECONDS.toNanos(3_500) - System.nanoTime());
        assertEquals(202, recording(callId, action("pause")).statusCode());
        awaitRecordingState(callId, "paused");
        assertEquals(409, recording(callId, action("pause")).statusCode(), "already paused");
        TimeUnit.SECONDS.sleep(1);
        assertEquals(202, recording(callId, action("resume")).statusCode());
    }

    /** The checks every recorded call of this test passes: channels, paused span, header and length. */
    private static void assertRecorded(final Path wav, final JsonNode cdr) throws Exception {
        final WavFile file = WavFile.read(wav);
        assertEquals(RATE, file.sampleRateHz);
        assertEquals(cdr.get("durationMs").asLong() / 1_000.0, file.seconds(), 0.021, "the call's length within a frame");
        assertEquals(wav.toString(), cdr.get("recording").asText());
        // Left: the caller's tone while the caller spoke, then the caller's exact silence.
        assertEquals(440, WavFile.dominantHz(file.left, RATE, 0.2, 1.0, 440, 1_000));
        assertFalse(WavFile.silent(file.left, RATE, 0.2, 1.0));
        assertTrue(WavFile.silent(file.left, RATE, 1.5, 3.0), "the caller was silent while the parrot replayed");
        // Right: nothing while the caller spoke (the parrot listens), the replayed tone after.
        assertTrue(WavFile.silent(file.right, RATE, 0.1, 1.0), "the agent said nothing while the caller spoke");
        assertEquals(440, WavFile.dominantHz(file.right, RATE, 1.5, 3.3, 440, 1_000));
        assertFalse(WavFile.silent(file.right, RATE, 1.5, 3.3));
        // The paused span: exact zeros on both channels, and about the second the operator held it.
        final JsonNode spans = cdr.get("recordingPaused");
        assertEquals(1, spans.size(), cdr.toString());
        final double from = spans.get(0).get(0).asLong() / 1_000.0;
        final double to = spans.get(0).get(1).asLong() / 1_000.0;
        assertTrue(to - from >= 0.9, "paused " + (to - from) + " s");
        assertTrue(WavFile.silent(file.left, RATE, from, to));
        assertTrue(WavFile.silent(file.right, RATE, from, to));
        assertFalse(Files.exists(Path.of(wav + ".part")));
    }

    @Test
    void shouldRecordATwilioCallChannelByChannelWithAPausedSecondSilent() throws Exception {
        final Path recordings = dir.resolve("recordings");
        start("all", recordings, false);
        final CallPlan plan = CallPlan.builder().audio(toneThenSilence(6_000)).hangUp(true).build();
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        final String callId = awaitActive("twilio");
        pauseASecond(callId, System.nanoTime());

        final SimulatedCallResult result = call.get(40, TimeUnit.SECONDS);
        assertTrue(result.error() == null, result.toString());

        final JsonNode cdr = awaitCdr(callId);
        assertRecorded(awaitFile(recordings.resolve(callId + ".wav")), cdr);
        assertEquals(1, metric("voxgate_recordings_written"));
        assertEquals(0, metric("voxgate_recording_frames_dropped"));
    }

    @Test
    void shouldRecordASipCallChannelByChannelWithAPausedSecondSilent() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final Path recordings = dir.resolve("recordings");
        start("all", recordings, true);
        final int peerPort = FreePorts.rtpPair();
        peer = new RtpPeer(peerPort);
        final byte[] said = toneThenSilence(6_000).mulaw();
        final CompletableFuture<Sipp.Result> sipp = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(said.length / 8 + 300).timeoutSeconds(40).run());
        final String callId = awaitActive("sip");
        final long activeNs = System.nanoTime();
        peer.sendAudio(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, said);
        pauseASecond(callId, activeNs);

        final Sipp.Result result = sipp.get(40, TimeUnit.SECONDS);
        assertEquals(0, result.exitCode, result.describe());

        final JsonNode cdr = awaitCdr(callId);
        final List<Path> files;
        try (var listing = Files.list(recordings)) {
            files = listing.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertEquals(cdr.get("recording").asText(), files.get(0).toString());
        final WavFile file = WavFile.read(files.get(0));
        // The RTP peer starts a moment after the call is active: find the caller's tone from its first sample.
        int first = 0;
        while (first < file.left.length && file.left[first] == 0) {
            first++;
        }
        assertTrue(first < RATE / 2, "the caller's audio starts within half a second: " + first);
        assertRecordedSip(file, cdr, first / (double) RATE);
    }

    /** As {@link #assertRecorded}, with the caller's audio starting {@code offsetS} into the recording. */
    private static void assertRecordedSip(final WavFile file, final JsonNode cdr, final double offsetS) {
        assertEquals(RATE, file.sampleRateHz);
        assertEquals(cdr.get("durationMs").asLong() / 1_000.0, file.seconds(), 0.021, "the call's length within a frame");
        assertEquals(440, WavFile.dominantHz(file.left, RATE, offsetS + 0.2, offsetS + 1.0, 440, 1_000));
        assertTrue(WavFile.silent(file.left, RATE, offsetS + 1.5, offsetS + 3.0));
        assertTrue(WavFile.silent(file.right, RATE, offsetS + 0.1, offsetS + 1.0));
        assertEquals(440, WavFile.dominantHz(file.right, RATE, offsetS + 1.5, offsetS + 3.3, 440, 1_000));
        final JsonNode spans = cdr.get("recordingPaused");
        assertEquals(1, spans.size(), cdr.toString());
        final double from = spans.get(0).get(0).asLong() / 1_000.0;
        final double to = spans.get(0).get(1).asLong() / 1_000.0;
        assertTrue(to - from >= 0.9, "paused " + (to - from) + " s");
        assertTrue(WavFile.silent(file.left, RATE, from, to));
        assertTrue(WavFile.silent(file.right, RATE, from, to));
    }

    @Test
    void shouldWriteNothingOnRequestUntilStartedAndRefuseImpossibleActions() throws Exception {
        final Path recordings = dir.resolve("recordings");
        start("on-request", recordings, false);
        final CallPlan plan = CallPlan.builder().audio(toneThenSilence(4_000)).hangUp(true).build();
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        final String callId = awaitActive("twilio");

        assertEquals(409, recording(callId, action("pause")).statusCode(), "nothing to pause yet");
        assertEquals(409, recording(callId, action("resume")).statusCode());
        assertEquals(400, recording(callId, "{\"action\":\"rewind\"}").statusCode());
        assertEquals(400, recording(callId, "not json").statusCode());
        assertEquals(404, recording("CAnothere", action("start")).statusCode());
        TimeUnit.SECONDS.sleep(1);
        try (var listing = Files.list(recordings)) {
            assertEquals(0, listing.count(), "nothing is written before the start");
        }
        assertEquals(202, recording(callId, action("start")).statusCode());
        // The 202 says queued; the 409 below reads the state the call's thread has applied.
        awaitRecordingState(callId, "recording");
        assertEquals(409, recording(callId, action("start")).statusCode(), "a call is recorded once");
        assertTrue(call.get(40, TimeUnit.SECONDS).error() == null);

        final JsonNode cdr = awaitCdr(callId);
        final WavFile file = WavFile.read(awaitFile(recordings.resolve(callId + ".wav")));
        assertTrue(file.seconds() < cdr.get("durationMs").asLong() / 1_000.0 - 0.9,
            "recorded from the start, not the call's answer: " + file.seconds() + " s");
        assertEquals("[]", cdr.get("recordingPaused").toString());
        assertEquals(1, metric("voxgate_recording_requests"), "the start and nothing else");
    }

    @Test
    void shouldLeaveCallsUntouchedWhenTheRecordingDirectoryIsUnwritable() throws Exception {
        final Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "x");
        start("all", notADirectory, false);
        final CallPlan plan = CallPlan.builder().audio(toneThenSilence(4_000)).hangUp(true).build();

        final SimulatedCallResult result = simulator.call(plan).get(40, TimeUnit.SECONDS);

        assertTrue(result.error() == null, result.toString());
        assertTrue(result.framesReceived() > 40, "the parrot's replay reached the caller: " + result);
        awaitCdr(plan.callSid());
        assertEquals(1, metric("voxgate_recordings_failed"));
        assertEquals(0, metric("voxgate_recordings_written"));
    }

    @Test
    void shouldRefuseEveryRecordingActionWhenTheNodeRecordsNothing() throws Exception {
        start("none", dir.resolve("unused"), false);
        final CallPlan plan = CallPlan.builder().audio(toneThenSilence(3_000)).hangUp(true).build();
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        final String callId = awaitActive("twilio");

        final HttpResponse<String> refused = recording(callId, action("start"));

        assertEquals(409, refused.statusCode());
        assertTrue(refused.body().contains("--record none"), refused.body());
        assertTrue(call.get(40, TimeUnit.SECONDS).error() == null);
        assertFalse(Files.exists(dir.resolve("unused")));
    }
}
