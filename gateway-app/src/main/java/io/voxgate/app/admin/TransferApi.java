package io.voxgate.app.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.app.cluster.CommandResult;
import io.voxgate.app.cluster.LocalCallCommand;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /calls/{id}/transfer {"to": "sip:...|tel:...", "announce": "..."}}: hands the call to another party
 * through its edge (SIP REFER, Twilio call update). The request is checked here ({@link TransferRequest#of}: a
 * {@code sip:}, {@code sips:} or {@code tel:} URI, an announcement without control characters) and goes to the call
 * as a {@link CallCommand#transfer} through its command ring; the answer, 202 with the transfer's id, says it was
 * queued. How it went is on {@code GET /calls/{id}} ({@link #describe}) and in the node's transfer counters. The
 * calls API runs it on the node that runs the call (in a cluster, through the router), with the request's body.
 *
 * <p>Answers: 202 queued; 400 when the body is not JSON or the target or announcement is unusable (the reason, never
 * the input); 404 when the call has gone; 503 when its ring is full. Each refusal is counted.
 *
 * <p>Threading: runs on the admin listener's loop or the cluster's subscriber thread; the counters are safe on any
 * thread.
 */
public final class TransferApi implements LocalCallCommand {
    /** The sub-resource's name: {@code /calls/{id}/transfer}. */
    public static final String NAME = "transfer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRegistry registry;
    private final LongAdder requested = new LongAdder();
    private final LongAdder refusedInvalid = new LongAdder();
    private final LongAdder refusedRingFull = new LongAdder();

    /** The transfer route over {@code registry}. */
    public TransferApi(final CallRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CommandResult execute(final String edge, final String callId, final String body) {
        final TransferRequest transfer;
        try {
            transfer = parse(body);
        } catch (final IllegalArgumentException ex) {
            refusedInvalid.increment();
            return CommandResult.error(400, ex.getMessage());
        }
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        if (!proxy.offer(CallCommand.transfer(transfer))) {
            refusedRingFull.increment();
            return CommandResult.error(503, "the call is busy; try again");
        }
        requested.increment();
        final ObjectNode answer = JSON.createObjectNode();
        answer.put("id", callId).put("edge", edge);
        answer.putObject("transfer").put("id", transfer.id()).put("to", transfer.target())
            .put("state", TransferState.REQUESTED.label());
        return new CommandResult(202, answer.toString());
    }

    private static TransferRequest parse(final String text) {
        if (text == null || text.isEmpty() || text.length() > CallsApi.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body must be a JSON object of at most " + CallsApi.MAX_BODY_BYTES + " bytes");
        }
        final JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (final JsonProcessingException ex) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        final JsonNode to = body.get("to");
        final JsonNode announce = body.get("announce");
        if (to == null || !to.isTextual()) {
            throw new IllegalArgumentException("\"to\" is required and must be a string");
        }
        if (announce != null && !announce.isNull() && !announce.isTextual()) {
            throw new IllegalArgumentException("\"announce\" must be a string");
        }
        return TransferRequest.of(to.asText(), announce == null || announce.isNull() ? null : announce.asText(),
            TransferRequest.Origin.OPERATOR);
    }

    /**
     * The call's latest transfer as {@code GET /calls/{id}} shows it, or null when none was asked for: id, target, who
     * asked, state, detail, and the milliseconds from the request to the acceptance and to the final state.
     */
    static ObjectNode describe(final CallStats stats) {
        final TransferRequest transfer = stats.transfer();
        final TransferState state = stats.transferState();
        if (transfer == null || state == null) {
            return null;
        }
        final ObjectNode out = JSON.createObjectNode();
        out.put("id", transfer.id()).put("to", transfer.target()).put("origin", transfer.origin().label())
            .put("state", state.label()).put("detail", stats.transferDetail());
        if (stats.transferAcceptedNs() >= 0) {
            out.put("acceptedMs", (stats.transferAcceptedNs() - stats.transferStartedNs()) / 1_000_000L);
        }
        if (stats.transferEndedNs() >= 0) {
            out.put("endedMs", (stats.transferEndedNs() - stats.transferStartedNs()) / 1_000_000L);
        }
        return out;
    }

    /** Transfers queued to a call's ring. */
    public long requested() {
        return requested.sum();
    }

    /** Transfers refused for an unusable body, target or announcement. */
    public long refusedInvalid() {
        return refusedInvalid.sum();
    }

    /** Transfers refused because the call's command ring was full. */
    public long refusedRingFull() {
        return refusedRingFull.sum();
    }

    @Override
    public String toString() {
        return "TransferApi{" + NAME.toLowerCase(Locale.ROOT) + "}";
    }
}
