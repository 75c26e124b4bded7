package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook/vapi}: Vapi's server-URL messages (protocols.md §5.5), independent of any HTTP server so
 * that a route can hand it the method, the headers and the raw body and write back the {@link WebhookResponse}.
 *
 * <ul>
 *   <li>Authentication first ({@link VapiWebhookConfig}); anything not authentic gets 401.</li>
 *   <li>A body that is not a JSON object with {@code message.type} gets 400 (a bare message without the
 *       {@code message} envelope is accepted too).</li>
 *   <li>{@code assistant-request}: answered at once with {@code {"assistantId": ...}} or
 *       {@code {"assistant": {...}}} (Vapi waits at most 7.5 s).</li>
 *   <li>{@code status-update} and {@code end-of-call-report}: kept in {@link VapiCallRecords} under the Vapi
 *       call id, with the gateway call id when known.</li>
 *   <li>{@code user-interrupted}: a barge-in offered to the call, found by its Vapi call id and the gateway call id
 *       the assistant's variables carry (a cluster launcher forwards it to the node that runs the call).</li>
 *   <li>Messages that act on the call, handed to {@link VapiCallControl} (which carries them to the node running the
 *       call) with the gateway call id (this node's binding of the Vapi call id, else the {@code voxgateCallId}
 *       variable), the answer being what that node answered: {@code end-call} (assumed: the type Vapi defines for
 *       ending a call, {@code ClientInboundMessageEndCall}, sent to the server URL) and {@code phone-call-control}
 *       with {@code request} {@code hang-up} end the call; {@code phone-call-control} with {@code forward} and a
 *       {@code number} or {@code sip} destination transfers the caller; {@code transfer-destination-request} is
 *       answered with the destination the call's node names, else (no destination, no such call, no answer)
 *       {@link VapiTransferDestination#NONE}, Vapi's documented "do not transfer", which keeps the call with the
 *       assistant. A message naming no gateway call gets 404 (that one: the "do not transfer" answer).</li>
 *   <li>Anything else: 200 and counted.</li>
 * </ul>
 *
 * <p>The request is authenticated here, on the node Vapi reached, and only what was decoded from an authentic
 * request is handed on: the node running the call trusts its router, not the network.
 *
 * <p>Threading: safe on any thread (HTTP event loops); it never touches call state itself, barge-ins go
 * through {@link BargeInTarget} and call commands through {@link VapiCallControl}, neither of which blocks; the
 * answer completes on whichever thread the call's node answered on. Ownership: the body array is only read.
 * Units: {@code nowEpochMs} is wall time in ms, needed to check signature timestamps.
 */
public final class VapiWebhookEndpoint {
    /** The route this endpoint serves. */
    public static final String PATH = "/webhook/vapi";

    private static final Logger LOG = LoggerFactory.getLogger(VapiWebhookEndpoint.class);
    private static final String EMPTY_JSON = "{}";
    /** Longest gateway call id handed on; a longer one names no call of ours. */
    private static final int MAX_CALL_ID_CHARS = 256;

    private final VapiWebhookAuthenticator authenticator;
    private final VapiAssistant assistant;
    private final VapiCallRecords records;
    private final BiFunction<String, String, Optional<BargeInTarget>> bargeInLookup;
    private final VapiCallControl calls;
    private final VapiWebhookStats stats;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * An endpoint.
     *
     * @param config        how requests are authenticated
     * @param assistant     the assistant named in {@code assistant-request} answers, or {@code null} to answer
     *                      with a spoken error
     * @param records       where statuses and reports are kept
     * @param bargeInLookup finds the call serving a Vapi call id, given that id and the gateway call id the message
     *                      names ({@code voxgateCallId}, empty when absent) (launcher-provided)
     * @param calls         carries the messages that act on a call to the node that runs it (launcher-provided)
     * @param stats         counters
     */
    public VapiWebhookEndpoint(final VapiWebhookConfig config, final VapiAssistant assistant, final VapiCallRecords records,
                               final BiFunction<String, String, Optional<BargeInTarget>> bargeInLookup,
                               final VapiCallControl calls, final VapiWebhookStats stats) {
        this.authenticator = new VapiWebhookAuthenticator(Objects.requireNonNull(config, "config"));
        this.assistant = assistant;
        this.records = Objects.requireNonNull(records, "records");
        this.bargeInLookup = Objects.requireNonNull(bargeInLookup, "bargeInLookup");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Handles one request.
     *
     * @param method     the HTTP method
     * @param header     looks a header up by name (any case; e.g. Netty's {@code request.headers()::get}); null when absent
     * @param body       the raw body bytes, exactly as received (signatures cover them)
     * @param nowEpochMs the current wall time, ms since the epoch
     * @return the answer: complete at once, except for a message that acts on a call, which completes when the node
     *         running the call answered (within the cluster's command timeout)
     */
    public CompletableFuture<WebhookResponse> handle(final String method, final Function<String, String> header,
                                                     final byte[] body, final long nowEpochMs) {
        stats.request();
        if (!"POST".equalsIgnoreCase(method)) {
            stats.countRejectedMethod();
            return now(405, "{\"error\":\"POST only\"}");
        }
        final VapiWebhookAuthenticator.Verdict verdict = authenticator.check(header, body, nowEpochMs);
        if (verdict != VapiWebhookAuthenticator.Verdict.OK) {
            stats.rejected(verdict);
            LOG.warn("vapi webhook refused: {}", verdict.name().toLowerCase(Locale.ROOT));
            return now(401, "{\"error\":\"unauthorized\"}");
        }
        final JsonNode root;
        try {
            root = json.readTree(body);
        } catch (final IOException ex) {
            return malformed();
        }
        if (root == null || !root.isObject()) {
            return malformed();
        }
        final JsonNode message = root.path("message").isObject() ? root.get("message") : root;
        if (!message.path("type").isTextual()) {
            return malformed();
        }
        return dispatch(message.get("type").asText(), message);
    }

    /** As {@link #handle(String, Function, byte[], long)} with headers in a map (names matched in any case). */
    public CompletableFuture<WebhookResponse> handle(final String method, final Map<String, String> headers, final byte[] body,
                                                     final long nowEpochMs) {
        final Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return handle(method, byName::get, body, nowEpochMs);
    }

    /** The counters. */
    public VapiWebhookStats stats() {
        return stats;
    }

    private CompletableFuture<WebhookResponse> dispatch(final String type, final JsonNode message) {
        final String vapiCallId = message.path("call").path("id").asText("");
        final String gatewayCallHint = message.path("call").path("assistantOverrides").path("variableValues").path("voxgateCallId")
            .asText("");
        switch (type) {
            case "assistant-request":
                stats.assistantRequest();
                return now(200, assistantAnswer());
            case "status-update":
                stats.statusUpdate();
                if (!vapiCallId.isEmpty()) {
                    records.status(vapiCallId, gatewayCallHint, message.path("status").asText(""), message.path("endedReason").asText(""));
                }
                return now(200, EMPTY_JSON);
            case "end-of-call-report":
                stats.endOfCallReport();
                if (!vapiCallId.isEmpty()) {
                    records.endOfCallReport(vapiCallId, gatewayCallHint, message.path("endedReason").asText(""), message.toString());
                }
                return now(200, EMPTY_JSON);
            case "user-interrupted":
                stats.countUserInterrupted();
                bargeIn(vapiCallId, gatewayCallHint);
                return now(200, EMPTY_JSON);
            case "end-call":
                return hangUp(gatewayCallOf(vapiCallId, gatewayCallHint));
            case "phone-call-control":
                return phoneCallControl(message, gatewayCallOf(vapiCallId, gatewayCallHint));
            case "transfer-destination-request":
                return transferDestination(gatewayCallOf(vapiCallId, gatewayCallHint));
            default:
                stats.other();
                return now(200, EMPTY_JSON);
        }
    }

    /** The gateway call a message is about: the one this node bound the Vapi call to, else the one it names, else "". */
    private String gatewayCallOf(final String vapiCallId, final String gatewayCallHint) {
        final String bound = vapiCallId.isEmpty() ? "" : records.find(vapiCallId).map(VapiCallRecord::gatewayCallId).orElse("");
        final String id = bound.isEmpty() ? gatewayCallHint : bound;
        return id.length() > MAX_CALL_ID_CHARS ? "" : id;
    }

    private CompletableFuture<WebhookResponse> hangUp(final String gatewayCallId) {
        stats.callMessage(!gatewayCallId.isEmpty());
        return gatewayCallId.isEmpty() ? noSuchCall() : calls.hangUp(gatewayCallId);
    }

    /** {@code phone-call-control}: {@code hang-up}, or {@code forward} to a number or SIP destination. */
    private CompletableFuture<WebhookResponse> phoneCallControl(final JsonNode message, final String gatewayCallId) {
        final String request = message.path("request").asText("");
        if ("hang-up".equals(request)) {
            return hangUp(gatewayCallId);
        }
        final String target = "forward".equals(request) ? VapiTransferDestination.targetOf(message.path("destination")) : null;
        if (target == null) {
            stats.other();
            return now(200, EMPTY_JSON);
        }
        stats.callMessage(!gatewayCallId.isEmpty());
        return gatewayCallId.isEmpty() ? noSuchCall()
            : calls.transfer(gatewayCallId, target, VapiTransferDestination.announcementOf(message.path("destination")));
    }

    /** The call's node names the destination; anything but its 2xx answer is Vapi's "do not transfer". */
    private CompletableFuture<WebhookResponse> transferDestination(final String gatewayCallId) {
        stats.callMessage(!gatewayCallId.isEmpty());
        if (gatewayCallId.isEmpty()) {
            return now(200, VapiTransferDestination.NONE);
        }
        return calls.transferDestination(gatewayCallId).handle((answer, thrown) -> answer != null
            && answer.status() / 100 == 2 ? answer : new WebhookResponse(200, VapiTransferDestination.NONE));
    }

    private static CompletableFuture<WebhookResponse> noSuchCall() {
        return now(404, "{\"error\":\"no such call\"}");
    }

    private static CompletableFuture<WebhookResponse> now(final int status, final String jsonBody) {
        return CompletableFuture.completedFuture(new WebhookResponse(status, jsonBody));
    }

    private void bargeIn(final String vapiCallId, final String gatewayCallHint) {
        final Optional<BargeInTarget> target = vapiCallId.isEmpty() ? Optional.empty()
            : bargeInLookup.apply(vapiCallId, gatewayCallHint);
        if (target.isEmpty()) {
            stats.bargeIn(false, false);
            return;
        }
        final boolean taken = target.get().offerBargeIn();
        stats.bargeIn(true, taken);
        if (!taken) {
            LOG.warn("vapi webhook barge-in not taken by its call vapiCall={}", VapiRedaction.callIdForLog(vapiCallId));
        }
    }

    private String assistantAnswer() {
        final ObjectNode answer = json.createObjectNode();
        if (assistant == null) {
            // protocols.md §5.5: {"error": "..."} is spoken to the caller.
            answer.put("error", "Sorry, this line is not configured to take calls right now.");
        } else {
            assistant.writeTo(answer);
        }
        return answer.toString();
    }

    private CompletableFuture<WebhookResponse> malformed() {
        stats.countMalformed();
        return now(400, "{\"error\":\"body must be a JSON object with message.type\"}");
    }
}
