package io.voxgate.websocket.twilio.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.tick.TickMember;
import io.voxgate.core.tick.TickMembership;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.websocket.http.WebSocketClosing;
import io.voxgate.websocket.http.WebSocketMessages;
import io.voxgate.websocket.http.WebSocketViolation;
import io.voxgate.websocket.twilio.CallLog;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.websocket.twilio.rest.TwilioCallUpdates;
import io.voxgate.websocket.twilio.webhook.AdmittedCalls;
import io.voxgate.websocket.twilio.webhook.CallTokens;
import io.voxgate.websocket.twilio.wire.Base64Decoder;
import io.voxgate.websocket.twilio.wire.MediaMessageEncoder;
import io.voxgate.websocket.twilio.wire.MediaMessageFlyweight;
import io.voxgate.websocket.twilio.wire.TwilioSid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio Media Streams connection after its upgrade: speaks the protocol of protocols.md §1.3-§1.8 and drives the
 * stream's {@link CallSession}, opened through the node's {@link io.voxgate.core.call.CallOpener} at {@code start}.
 *
 * <p>Inbound {@code media} takes the fast path: the text frame's bytes, unmasked where they were received, are read in
 * place by a {@link MediaMessageFlyweight} and the payload is base64-decoded straight into a buffer preallocated for
 * this stream, then lent to the call; no frame object, no tree, no {@code String}, no array per frame. {@code start} (once per stream) is
 * read with Jackson. Every message Twilio does not send, or sends wrong, is dropped and counted (see
 * {@link StreamStats}); past {@link TwilioEdgeConfig#maxRejectedMessages()} the stream is closed with 1008:
 *
 * <table>
 *   <caption>Bad input and its outcome</caption>
 *   <tr><th>Input</th><th>Outcome</th><th>Counter</th></tr>
 *   <tr><td>not one JSON object</td><td>dropped</td><td>messagesInvalidJson</td></tr>
 *   <tr><td>unknown or missing event</td><td>dropped</td><td>messagesUnknownEvent / messagesMissingFields</td></tr>
 *   <tr><td>media, mark or dtmf before start</td><td>dropped</td><td>messagesBeforeStart</td></tr>
 *   <tr><td>payload not base64 / too long</td><td>dropped</td><td>mediaBadBase64 / mediaTooLong</td></tr>
 *   <tr><td>streamSid not the stream's</td><td>dropped</td><td>messagesWrongStreamSid</td></tr>
 *   <tr><td>binary frame</td><td>dropped</td><td>binaryFrames</td></tr>
 *   <tr><td>frame over the size limit</td><td>closed 1009 by the server</td><td>streamsClosedByViolation</td></tr>
 *   <tr><td>call token missing, forged or expired when required</td><td>closed 1008</td><td>streamsRejectedToken</td></tr>
 *   <tr><td>start unusable (fields, format, CallSid not the URL's)</td><td>closed 1008</td><td>streamsRejectedStart</td></tr>
 *   <tr><td>CallSid not admitted by the webhook, or already streamed</td><td>closed 1008</td><td>streamsRejectedNotAdmitted</td></tr>
 *   <tr><td>no start in time</td><td>closed 1008</td><td>streamsStartTimedOut</td></tr>
 *   <tr><td>connection dropped (even mid-frame)</td><td>call ended, resources released</td><td>streamsDroppedWithoutStop</td></tr>
 * </table>
 *
 * After {@code stop} the call is ended and the stream closed with 1000. The
 * {@link io.voxgate.core.tick.LoopTicker} of the stream's event loop, shared with the loop's other calls of both
 * edges, ticks the stream at every wake-up from {@code start} until teardown; a tick that throws ends this stream
 * with 1011 and no other. Teardown runs exactly once, whatever ends the stream.
 *
 * <p>Output is flushed once per event: at the end of each inbound message and of each tick, whatever the call wrote
 * meanwhile; agent audio that arrives outside those events (from the agent's own connection) is flushed at the end
 * of the loop task that delivered it (see {@link TwilioCallerLeg}).
 *
 * <p>Threading: one instance per connection, confined to its event loop. Ownership: the messages it receives are
 * borrowed views; owns the per-stream buffers; the call is ended by {@link #endStream} only.
 */
final class MediaStreamHandler extends ChannelInboundHandlerAdapter
    implements WebSocketMessages, TwilioCallerLeg.HangUpTarget, TickMember {
    private static final Logger LOG = LoggerFactory.getLogger(MediaStreamHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALL_TOKEN_PARAMETER = "callToken";

    /** Outstanding marks tracked: at 100 ms per mark, 12.8 s of audio at Twilio, far beyond the pacer's lead. */
    private static final int MARK_LEDGER_CAPACITY = 128;
    private static final int CLOSE_NORMAL = 1000;
    private static final int CLOSE_POLICY = 1008;
    private static final int CLOSE_INTERNAL_ERROR = 1011;
    /** RFC 6455 §7.4.1 / IANA: the server is overloaded or going away; the client may retry. */
    private static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private enum State { AWAITING_START, STARTED, ENDED }

    private final MediaStreamRoute route;
    private final TwilioEdgeConfig config;
    private final StreamStats stats;
    private final String pathCallSid;
    private final boolean upgradeSigned;
    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer audio;
    private final long idleTimeoutNs;

    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_START;
    private byte[] streamSidBytes;
    private String streamSid;
    private MarkLedger ledger;
    private TwilioCallerLeg leg;
    private CallSession call;
    private TickMembership tickMembership;
    private boolean failed;
    private ScheduledFuture<?> startTimeout;
    private long lastInboundNs;
    private long startedNs;
    private int rejected;
    private boolean claimed;
    private long framesIn;
    private long bytesIn;
    /** The transfer whose call update is in flight or was accepted: the stream's end then means Twilio took the call. */
    private TransferRequest transferInFlight;

    MediaStreamHandler(final MediaStreamRoute route, final String pathCallSid, final boolean upgradeSigned) {
        this.route = route;
        this.config = route.config();
        this.stats = route.stats();
        this.pathCallSid = pathCallSid;
        this.upgradeSigned = upgradeSigned;
        this.audio = new UnsafeBuffer(new byte[config.maxMediaPayloadBytes()]);
        this.idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(config.streamIdleTimeoutMs());
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void onOpen() {
        startTimeout = ctx.executor().schedule(this::onStartTimeout, config.startTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
        if (evt instanceof WebSocketViolation) {
            stats.streamsClosedByViolation.increment();
            endStream("stream violated the WebSocket protocol or limits: " + evt, 0);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void onText(final DirectBuffer utf8, final int offset, final int length) {
        final TwilioCallerLeg eventLeg = beginEvent();
        try {
            if (state != State.ENDED) {
                frameView.wrap(utf8, offset, length);
                onMessage(length);
            }
        } finally {
            endEvent(eventLeg);
        }
    }

    @Override
    public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
        if (!last) {
            return;
        }
        final TwilioCallerLeg eventLeg = beginEvent();
        try {
            if (state != State.ENDED) {
                // Twilio sends text frames only (T-WSM); a binary message is not ours to interpret.
                stats.binaryFrames.increment();
                reject("binary frame");
            }
        } finally {
            endEvent(eventLeg);
        }
    }

    /** An inbound message is an event of the stream: what the call writes meanwhile is flushed once, at its end. */
    private TwilioCallerLeg beginEvent() {
        final TwilioCallerLeg eventLeg = leg;
        if (eventLeg != null) {
            eventLeg.beginEvent();
        }
        return eventLeg;
    }

    private void endEvent(final TwilioCallerLeg eventLeg) {
        if (eventLeg != null) {
            eventLeg.endEvent();
        }
        scheduleTick();
    }

    private void onMessage(final int length) {
        final long nowNs = route.opener().clock().nanoTime();
        if (!message.wrap(frameView, 0, length)) {
            stats.messagesInvalidJson.increment();
            reject("invalid JSON");
            return;
        }
        lastInboundNs = nowNs;
        switch (message.event()) {
            case MEDIA:
                onMedia(nowNs);
                break;
            case MARK:
                onMark();
                break;
            case DTMF:
                onDtmf(nowNs);
                break;
            case START:
                onStart(nowNs);
                break;
            case STOP:
                onStop();
                break;
            case CONNECTED:
                break;
            case MISSING:
                stats.messagesMissingFields.increment();
                reject("message without event");
                break;
            default:
                stats.messagesUnknownEvent.increment();
                reject("unknown event");
                break;
        }
    }

    private boolean startedAndOurs(final String what) {
        if (state != State.STARTED) {
            stats.messagesBeforeStart.increment();
            reject(what + " before start");
            return false;
        }
        if (!message.streamSidEquals(streamSidBytes)) {
            stats.messagesWrongStreamSid.increment();
            reject(what + " for another streamSid");
            return false;
        }
        return true;
    }

    private void onMedia(final long nowNs) {
        if (!startedAndOurs("media")) {
            return;
        }
        if (message.payloadLength() < 0) {
            stats.messagesMissingFields.increment();
            reject("media without payload");
            return;
        }
        final int decoded;
        if (message.escaped()) {
            decoded = decodeEscapedPayload();
        } else {
            decoded = Base64Decoder.decode(frameView, message.payloadOffset(), message.payloadLength(), audio, 0, audio.capacity());
        }
        if (decoded == Base64Decoder.MALFORMED) {
            stats.mediaBadBase64.increment();
            reject("media payload is not base64");
            return;
        }
        if (decoded == Base64Decoder.TOO_LONG) {
            stats.mediaTooLong.increment();
            reject("media payload too long");
            return;
        }
        framesIn++;
        bytesIn += decoded;
        stats.mediaFramesIn.increment();
        stats.mediaBytesIn.add(decoded);
        if (decoded > 0) {
            call.onCallerAudio(audio, 0, decoded, nowNs);
        }
    }

    /** The slow path for a payload spelled with JSON escapes (e.g. {@code \/}): read it with Jackson. */
    private int decodeEscapedPayload() {
        try {
            final JsonNode root = JSON.readTree(copyOfView());
            final byte[] bytes = Base64.getDecoder().decode(root.path("media").path("payload").asText(""));
            if (bytes.length > audio.capacity()) {
                return Base64Decoder.TOO_LONG;
            }
            audio.putBytes(0, bytes);
            return bytes.length;
        } catch (final IOException | IllegalArgumentException ex) {
            return Base64Decoder.MALFORMED;
        }
    }

    private byte[] copyOfView() {
        final byte[] copy = new byte[frameView.capacity()];
        frameView.getBytes(0, copy);
        return copy;
    }

    private void onMark() {
        if (!startedAndOurs("mark")) {
            return;
        }
        final int length = message.markNameLength();
        long markNo = -1;
        if (length >= 2 && !message.escaped() && frameView.getByte(message.markNameOffset()) == 'm') {
            markNo = message.parseDecimal(message.markNameOffset() + 1, length - 1);
        }
        final long unknownBefore = ledger.marksUnknown();
        final long playedBefore = ledger.marksPlayed();
        final long clearedBefore = ledger.marksCleared();
        ledger.onMarkEchoed(markNo);
        stats.marksUnknown.add(ledger.marksUnknown() - unknownBefore);
        stats.marksPlayed.add(ledger.marksPlayed() - playedBefore);
        stats.marksCleared.add(ledger.marksCleared() - clearedBefore);
    }

    private void onDtmf(final long nowNs) {
        if (!startedAndOurs("dtmf")) {
            return;
        }
        if (message.digitLength() != 1 || message.escaped()) {
            stats.messagesMissingFields.increment();
            reject("dtmf without a single digit");
            return;
        }
        final char digit = (char) frameView.getByte(message.digitOffset());
        if (!isDtmfDigit(digit)) {
            stats.messagesMissingFields.increment();
            reject("dtmf digit out of range");
            return;
        }
        stats.dtmfDigits.increment();
        call.onCallerDigit(digit, nowNs);
    }

    private static boolean isDtmfDigit(final char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    }

    private void onStart(final long nowNs) {
        if (state == State.STARTED) {
            stats.messagesDuplicateStart.increment();
            reject("second start");
            return;
        }
        final JsonNode root;
        try {
            root = JSON.readTree(copyOfView());
        } catch (final IOException ex) {
            stats.messagesInvalidJson.increment();
            reject("invalid JSON");
            return;
        }
        final JsonNode start = root.path("start");
        // The credential first: until the token is verified (for the URL's CallSid) the rest of start is an anonymous
        // peer's, and nothing in it is worth looking at, or logging.
        final JsonNode customParameters = start.path("customParameters");
        if (config.streamAuthentication().tokenRequired(upgradeSigned)
            && !tokenVerified(customParameters.path(CALL_TOKEN_PARAMETER).asText(null))) {
            return;
        }
        final String sid = start.path("streamSid").asText(root.path("streamSid").asText(""));
        final String callSid = start.path("callSid").asText("");
        final String accountSid = start.path("accountSid").asText("");
        if (!TwilioSid.isValid(sid) || !TwilioSid.isValid(callSid)) {
            rejectStart("start without a valid streamSid and callSid");
            return;
        }
        if (!callSid.equals(pathCallSid)) {
            rejectStart("start callSid does not match the stream URL");
            return;
        }
        final JsonNode format = start.path("mediaFormat");
        if (!format.isMissingNode() && (!"audio/x-mulaw".equals(format.path("encoding").asText("audio/x-mulaw"))
            || format.path("sampleRate").asInt(8000) != 8000 || format.path("channels").asInt(1) != 1)) {
            // The format is the peer's text: the reason names the rule, never the value.
            rejectStart("unsupported media format (need audio/x-mulaw, 8000 Hz, 1 channel)");
            return;
        }
        final long nowSeconds = config.clock().instant().getEpochSecond();
        final AdmittedCalls.Claim claim = route.admittedCalls().claim(callSid, nowSeconds);
        if (claim != AdmittedCalls.Claim.CLAIMED) {
            stats.streamsRejectedNotAdmitted.increment();
            endStream(claim == AdmittedCalls.Claim.ALREADY_STREAMED ? "a stream already started for this call"
                : claim == AdmittedCalls.Claim.FULL ? "gateway busy" : "no stream expected for this call", CLOSE_POLICY);
            return;
        }
        claimed = true;
        final Map<String, String> parameters = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> field : customParameters.properties()) {
            parameters.put(field.getKey(), field.getValue().asText());
        }
        parameters.remove(CALL_TOKEN_PARAMETER);
        parameters.put("streamSid", sid);
        parameters.put("accountSid", accountSid);
        this.streamSid = sid;
        this.streamSidBytes = sid.getBytes(StandardCharsets.US_ASCII);
        this.ledger = new MarkLedger(config.markIntervalMs() * 8, MARK_LEDGER_CAPACITY);
        this.leg = new TwilioCallerLeg(ctx, new MediaMessageEncoder(sid), ledger, stats, this);
        // Twilio streams mu-law 8 kHz; the session transcodes when the agent asks for another format.
        // A stream whose webhook this node answered is the second half of a call it already took: a drain that began
        // in between must not fail it (Twilio would drop the caller), so it is opened as promised.
        final CallAdmission admission = route.admittedCalls().answeredHere(callSid)
            ? route.opener().openPromised(callSid, Collections.unmodifiableMap(parameters), AudioFormat.MULAW_8K, leg,
                ctx.channel().eventLoop(), nowNs)
            : route.opener().open(callSid, Collections.unmodifiableMap(parameters), AudioFormat.MULAW_8K, leg,
                ctx.channel().eventLoop(), nowNs);
        if (!admission.accepted()) {
            stats.streamsRefused.increment();
            refuse(admission.verdict());
            return;
        }
        call = admission.session();
        state = State.STARTED;
        startedNs = nowNs;
        stats.streamsStarted.increment();
        cancel(startTimeout);
        call.start(nowNs);
        tickMembership = route.tickers().tickerOf(ctx.channel().eventLoop()).joinEveryWakeUp(this);
        scheduleTick();
        log("stream {} started (upgrade {})", sid, upgradeSigned ? "signed" : "unsigned, token verified");
    }

    /** A start the node cannot take: 1013 (try again later) when full or draining, 1008 for a second stream. */
    private void refuse(final CallAdmission.Verdict verdict) {
        switch (verdict) {
            case FULL:
                endStream("gateway full", CLOSE_TRY_AGAIN_LATER);
                break;
            case DRAINING:
                endStream("gateway draining", CLOSE_TRY_AGAIN_LATER);
                break;
            default:
                endStream("a stream for this call is already running", CLOSE_POLICY);
                break;
        }
    }

    /** Verifies the call token for the URL's CallSid; closes the stream with 1008 and returns false when it fails. */
    private boolean tokenVerified(final String token) {
        final CallTokens.Verdict verdict = route.callTokens().verify(pathCallSid, token, config.clock().instant().getEpochSecond());
        if (verdict == CallTokens.Verdict.VALID) {
            return true;
        }
        stats.streamsRejectedToken.increment();
        if (verdict == CallTokens.Verdict.MISSING) {
            stats.tokensMissing.increment();
        } else if (verdict == CallTokens.Verdict.EXPIRED) {
            stats.tokensExpired.increment();
        } else {
            stats.tokensInvalid.increment();
        }
        endStream("call token " + verdict.name().toLowerCase(Locale.ROOT), CLOSE_POLICY);
        return false;
    }

    private void rejectStart(final String reason) {
        stats.streamsRejectedStart.increment();
        endStream(reason, CLOSE_POLICY);
    }

    private void onStop() {
        if (state == State.AWAITING_START) {
            endStream("stream stopped before start", CLOSE_NORMAL);
            return;
        }
        if (!message.streamSidEquals(streamSidBytes) && message.streamSidLength() >= 0) {
            stats.messagesWrongStreamSid.increment();
            reject("stop for another streamSid");
            return;
        }
        endStream("stream stopped", CLOSE_NORMAL);
    }

    @Override
    public String callId() {
        return pathCallSid;
    }

    @Override
    public void onTick(final long nowNs) {
        if (state != State.STARTED) {
            return;
        }
        if (nowNs - lastInboundNs > idleTimeoutNs) {
            stats.streamsIdleTimedOut.increment();
            endStream("no message from Twilio for " + config.streamIdleTimeoutMs() + " ms", CLOSE_NORMAL);
            return;
        }
        if (call.nextReleaseNs() <= nowNs) {
            leg.beginEvent();
            try {
                call.onTick(nowNs);
            } finally {
                leg.endEvent();
            }
        }
        scheduleTick();
    }

    @Override
    public void nextReleaseChanged(final long nextReleaseNs) {
        if (state == State.STARTED && tickMembership != null) {
            tickMembership.tickAt(Math.min(nextReleaseNs, lastInboundNs + idleTimeoutNs));
        }
    }

    /**
     * Tells the ticker when this stream next has work: paced audio due, or its idle deadline. Most wake-ups then skip
     * the stream without reading it (eligible audio leaves as it arrives). Called after each of the stream's events;
     * the session tells the rest ({@link #nextReleaseChanged}).
     */
    private void scheduleTick() {
        if (state == State.STARTED && tickMembership != null) {
            tickMembership.tickAt(Math.min(call.nextReleaseNs(), lastInboundNs + idleTimeoutNs));
        }
    }

    @Override
    public void onTickFailed(final RuntimeException failure, final long nowNs) {
        // The ticker has logged and counted it; the call is ended as failed, this stream only.
        failed = true;
        endStream("internal error", CLOSE_INTERNAL_ERROR);
    }

    private void onStartTimeout() {
        if (state == State.AWAITING_START) {
            stats.streamsStartTimedOut.increment();
            endStream("no start message within " + config.startTimeoutMs() + " ms", CLOSE_POLICY);
        }
    }

    @Override
    public void hangUpFromCall(final String reason, final long nowNs) {
        // The call asked to end (agent hang-up, drain); it may still be inside its own code, so the teardown, which
        // ends the call again (idempotently), runs as the next task on this loop. The close frame goes out now.
        if (state == State.ENDED) {
            return;
        }
        leg.flushIfPending();
        WebSocketClosing.close(ctx.channel(), CLOSE_NORMAL, reason);
        ctx.executor().execute(() -> endStream(reason, 0));
    }

    /**
     * The session transfers the call: the REST update runs on its own pool and its outcome comes back to this loop.
     * Twilio then ends the stream ({@code stop}, or the connection), which {@link #endStream} reports as success.
     */
    @Override
    public boolean transferFromCall(final TransferRequest request, final long nowNs) {
        final TwilioCallUpdates updates = route.callUpdates();
        if (updates == null || state != State.STARTED) {
            return false;
        }
        transferInFlight = request;
        log("{} through the Twilio REST API", request);
        updates.dial(pathCallSid, request).thenAccept(outcome -> ctx.executor().execute(() -> onUpdated(request, outcome)));
        return true;
    }

    private void onUpdated(final TransferRequest request, final TwilioCallUpdates.Outcome outcome) {
        if (state != State.STARTED || transferInFlight != request) {
            return;
        }
        if (outcome.state() != TransferState.ACCEPTED) {
            transferInFlight = null;
        }
        log("transfer {}: {} ({})", request.id(), outcome.state().label(), outcome.detail());
        call.onTransferProgress(request.id(), outcome.state(), outcome.detail(), route.opener().clock().nanoTime());
    }

    private void reject(final String why) {
        rejected++;
        if (rejected == 1) {
            log("dropped message: {} (further drops on this stream are counted, not logged)", why);
        }
        if (rejected > config.maxRejectedMessages()) {
            stats.streamsOverErrorBudget.increment();
            endStream("too many invalid messages (last: " + why + ")", CLOSE_POLICY);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (state != State.ENDED) {
            stats.streamsDroppedWithoutStop.increment();
            endStream("connection lost", 0);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (cause instanceof IOException) {
            log("connection failed: {}", cause.toString());
            endStream("connection failed", 0);
            ctx.close();
            return;
        }
        CallLog.error(LOG, pathCallSid, "media stream handler failed", cause);
        endStream("internal error", CLOSE_INTERNAL_ERROR);
    }

    /**
     * Ends the stream once: cancels the timers, ends the call, closes the WebSocket with {@code closeCode} and
     * {@code reason} unless {@code closeCode} is 0 (already closed or closing).
     */
    private void endStream(final String reason, final int closeCode) {
        if (state == State.ENDED) {
            return;
        }
        final State previous = state;
        state = State.ENDED;
        if (tickMembership != null) {
            tickMembership.leave();
        }
        cancel(startTimeout);
        if (leg != null) {
            leg.flushIfPending();
            leg.close();
        }
        if (claimed) {
            route.admittedCalls().streamEnded(pathCallSid, config.clock().instant().getEpochSecond());
        }
        if (previous == State.STARTED) {
            final long nowNs = route.opener().clock().nanoTime();
            try {
                if (transferInFlight != null && !failed) {
                    // Twilio ends the stream once the update gave the call new TwiML (the stop may even beat the
                    // update's own answer): the caller has left for the target. Ignored by a call that already ended.
                    call.onTransferProgress(transferInFlight.id(), TransferState.SUCCEEDED,
                        "Twilio ended the stream after the call update", nowNs);
                }
                if (failed) {
                    call.fail(reason, nowNs);
                } else {
                    // Idempotent in the session; it also leaves the registry.
                    call.end(reason, nowNs);
                }
            } finally {
                stats.streamsEnded.increment();
            }
            log("stream {} ended: {}; {}", streamSid, reason, summary(nowNs));
        } else {
            log("stream closed before start: {}", reason);
        }
        if (closeCode > 0 && ctx.channel().isActive()) {
            WebSocketClosing.close(ctx.channel(), closeCode, reason);
        }
    }

    private String summary(final long nowNs) {
        return "durationMs=" + TimeUnit.NANOSECONDS.toMillis(nowNs - startedNs)
            + " framesIn=" + framesIn + " bytesIn=" + bytesIn
            + " framesOut=" + leg.framesOut() + " bytesOut=" + ledger.bytesSent()
            + " bytesPlayed=" + ledger.bytesPlayed() + " marksSent=" + ledger.marksSent()
            + " marksPlayed=" + ledger.marksPlayed() + " marksCleared=" + ledger.marksCleared()
            + " clears=" + ledger.clears() + " droppedUnwritable=" + leg.framesDroppedUnwritable()
            + " rejectedMessages=" + rejected;
    }

    private void log(final String format, final Object... args) {
        CallLog.info(LOG, pathCallSid, format, args);
    }

    private static void cancel(final ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
