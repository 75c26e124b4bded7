package io.voxgate.websocket.twilio.webhook;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Stream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.websocket.http.HttpResponses;
import io.voxgate.websocket.http.HttpRoute;
import io.voxgate.websocket.twilio.CallLog;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.websocket.twilio.wire.TwilioSid;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /voice/inbound}: Twilio's voice webhook for a new call. Checks the signature (403 when missing or
 * wrong), asks the node's call registry (503 when full or draining), and answers 200 {@code text/xml} with TwiML built
 * by the Twilio SDK:
 *
 * <pre>
 * &lt;Response&gt;&lt;Connect&gt;&lt;Stream url="wss://{public host[:port]}/media/{CallSid}"
 *     statusCallback="https://{public host[:port]}/voice/stream-status" statusCallbackMethod="POST"&gt;
 *   &lt;Parameter name="callSid" value="{CallSid}"/&gt;&lt;Parameter name="callToken" value="{token}"/&gt;
 *   &lt;Parameter name="From" value="{From}"/&gt;&lt;Parameter name="To" value="{To}"/&gt;  (each when given)
 * &lt;/Stream&gt;&lt;/Connect&gt;&lt;/Response&gt;
 * </pre>
 *
 * The stream URL has no query string (Twilio refuses one, T-STREAM); what the stream needs travels as parameters.
 * It names this node's own public URL: the node that answered holds the call's record ({@link AdmittedCalls}), and
 * a repeated webhook for a live call gets the recorded TwiML (same token) again.
 *
 * <p>Threading: sharable, on event loops. Logs the CallSid (MDC {@code callId}), never the token.
 */
public final class VoiceWebhookRoute implements HttpRoute {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceWebhookRoute.class);
    /** Longest From or To passed on to the stream: an E.164 number or a SIP address fits. */
    private static final int MAX_PARTY_CHARS = 128;

    private final TwilioEdgeConfig config;
    private final Supplier<CallAdmission.Verdict> admission;
    private final TwilioSignatures signatures;
    private final CallTokens callTokens;
    private final AdmittedCalls admittedCalls;
    private final WebhookStats stats;

    /**
     * The voice webhook of one edge.
     *
     * @param admission the early admission check: ACCEPTED, FULL or DRAINING
     */
    public VoiceWebhookRoute(final TwilioEdgeConfig config, final Supplier<CallAdmission.Verdict> admission,
                             final TwilioSignatures signatures, final CallTokens callTokens, final AdmittedCalls admittedCalls,
                             final WebhookStats stats) {
        this.config = config;
        this.admission = admission;
        this.signatures = signatures;
        this.callTokens = callTokens;
        this.admittedCalls = admittedCalls;
        this.stats = stats;
    }

    @Override
    public void handle(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final Map<String, String> params = FormParameters.decode(request);
        final String callSid = params.get("CallSid");
        if (callSid == null || !TwilioSid.isValid(callSid)) {
            stats.webhooksMalformed.increment();
            HttpResponses.send(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "CallSid missing or malformed\n"));
            return;
        }
        if (signatures.enabled() && !signatures.validWebhook(request, params)) {
            stats.webhooksRejectedSignature.increment();
            CallLog.warn(LOG, callSid, "voice webhook refused: X-Twilio-Signature {}",
                request.headers().contains(TwilioSignatures.HEADER) ? "does not match" : "missing");
            HttpResponses.send(ctx, request, HttpResponses.status(HttpResponseStatus.FORBIDDEN));
            return;
        }
        final long nowSeconds = config.clock().instant().getEpochSecond();
        final AdmittedCalls.Answer earlier = admittedCalls.recorded(callSid, nowSeconds);
        if (earlier != null) {
            // Twilio retries a webhook it got no answer to: the same TwiML again, so the call has one token only.
            stats.webhooksRepeated.increment();
            CallLog.info(LOG, callSid, "voice webhook repeated: answered with the call's recorded TwiML");
            HttpResponses.send(ctx, request, HttpResponses.of(HttpResponseStatus.OK, HttpResponses.TEXT_XML, earlier.twiml()));
            return;
        }
        final CallAdmission.Verdict verdict = admission.get();
        if (verdict != CallAdmission.Verdict.ACCEPTED) {
            (verdict == CallAdmission.Verdict.FULL ? stats.webhooksRefusedFull : stats.webhooksRefusedDraining).increment();
            CallLog.info(LOG, callSid, "voice webhook refused: gateway {}", verdict == CallAdmission.Verdict.FULL ? "full" : "draining");
            sendBusy(ctx, request);
            return;
        }
        final AdmittedCalls.Answer answer = admittedCalls.admit(callSid, nowSeconds,
            () -> twiml(callSid, params.get("From"), params.get("To"), nowSeconds));
        if (answer == null) {
            stats.webhooksRefusedRecordFull.increment();
            CallLog.warn(LOG, callSid, "voice webhook refused: the record of admitted calls is full");
            sendBusy(ctx, request);
            return;
        }
        if (answer.repeated()) {
            stats.webhooksRepeated.increment();
        } else {
            stats.webhooksAnswered.increment();
            CallLog.info(LOG, callSid, "voice webhook answered with a media stream");
        }
        HttpResponses.send(ctx, request, HttpResponses.of(HttpResponseStatus.OK, HttpResponses.TEXT_XML, answer.twiml()));
    }

    private static void sendBusy(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final FullHttpResponse busy = HttpResponses.status(HttpResponseStatus.SERVICE_UNAVAILABLE);
        busy.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        HttpResponses.send(ctx, request, busy);
    }

    private String twiml(final String callSid, final String from, final String to, final long nowSeconds) {
        try {
            return buildTwiml(callSid, from, to, nowSeconds);
        } catch (final TwiMLException ex) {
            throw new IllegalStateException("TwiML could not be built", ex);
        }
    }

    private String buildTwiml(final String callSid, final String from, final String to, final long nowSeconds)
        throws TwiMLException {
        final String token = callTokens.issue(callSid, nowSeconds);
        final Stream.Builder stream = new Stream.Builder()
            .url(config.mediaUrlBase() + TwilioEdgeConfig.MEDIA_PATH_PREFIX + callSid)
            .parameter(new Parameter.Builder().name("callSid").value(callSid).build())
            .parameter(new Parameter.Builder().name("callToken").value(token).build());
        // The caller and the number called come back in the stream's start, so the call's record and the calls API
        // can name them; cut to a phone number's or SIP address's length, as the form is signed but not bounded.
        for (final String[] party : new String[][] {{"From", from}, {"To", to}}) {
            if (party[1] != null && !party[1].isEmpty()) {
                stream.parameter(new Parameter.Builder().name(party[0])
                    .value(party[1].substring(0, Math.min(party[1].length(), MAX_PARTY_CHARS))).build());
            }
        }
        if (config.statusCallback()) {
            stream.statusCallback(config.publicUrl() + TwilioEdgeConfig.STREAM_STATUS_PATH)
                .statusCallbackMethod(Stream.StatusCallbackMethod.POST);
        }
        final Connect connect = new Connect.Builder().stream(stream.build()).build();
        return new VoiceResponse.Builder().connect(connect).build().toXml();
    }
}
