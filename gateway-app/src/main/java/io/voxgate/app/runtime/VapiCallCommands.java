package io.voxgate.app.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.app.cluster.CallCommandRouter;
import io.voxgate.app.cluster.CommandResult;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.websocket.vapi.VapiCallControl;
import io.voxgate.websocket.vapi.VapiTransferDestination;
import io.voxgate.websocket.vapi.WebhookResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * What Vapi's server-URL messages ask of a call, as router commands: the webhook endpoint hands a message over
 * ({@link VapiCallControl}) on whichever node Vapi reached, the router carries it to the node that runs the call, and
 * there it enters the call through its command ring: {@value #END_CALL} (the agent's hang-up), {@value #TRANSFER}
 * (argument {@code {"to", "announce"}}: a transfer asked by the agent, checked by {@link TransferRequest#of}) and
 * {@value #TRANSFER_DESTINATION} (answered with the node's transfer target, {@code --agent-fallback transfer:URI}, as a
 * Vapi destination, or Vapi's "do not transfer" when it has none). What the running node answers is what Vapi gets.
 *
 * <p>Threading: {@link VapiCallControl} methods on the webhook's event loops; the commands on the admin loop's or the
 * subscriber's thread as the router runs them; none blocks. Counters are safe on any thread.
 */
final class VapiCallCommands implements VapiCallControl {
    /** The router's command that ends a call as its agent's hang-up. */
    static final String END_CALL = "vapi-end-call";
    /** The router's command that transfers a call's caller on its agent's behalf. */
    static final String TRANSFER = "vapi-transfer";
    /** The router's command that names where a call's caller would be transferred. */
    static final String TRANSFER_DESTINATION = "vapi-transfer-destination";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRegistry registry;
    private final CallCommandRouter router;
    private final String transferTarget;
    private final LongAdder hangUps = new LongAdder();
    private final LongAdder transfers = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * Registers the commands with {@code router} (before it starts).
     *
     * @param transferTarget the node's transfer target ({@code tel:}, {@code sip:} or {@code sips:} URI, checked by
     *                       the configuration), or {@code null} when it has none
     */
    VapiCallCommands(final CallRegistry registry, final CallCommandRouter router, final String transferTarget) {
        this.registry = registry;
        this.router = router.register(END_CALL, this::endCallHere).register(TRANSFER, this::transferHere)
            .register(TRANSFER_DESTINATION, this::transferDestinationHere);
        this.transferTarget = transferTarget;
    }

    @Override
    public CompletableFuture<WebhookResponse> hangUp(final String gatewayCallId) {
        return router.dispatch(END_CALL, gatewayCallId, null).thenApply(VapiCallCommands::response);
    }

    @Override
    public CompletableFuture<WebhookResponse> transfer(final String gatewayCallId, final String target, final String announce) {
        final ObjectNode argument = JSON.createObjectNode().put("to", target);
        if (announce != null) {
            argument.put("announce", announce);
        }
        return router.dispatch(TRANSFER, gatewayCallId, argument.toString()).thenApply(VapiCallCommands::response);
    }

    @Override
    public CompletableFuture<WebhookResponse> transferDestination(final String gatewayCallId) {
        return router.dispatch(TRANSFER_DESTINATION, gatewayCallId, null).thenApply(VapiCallCommands::response);
    }

    private static WebhookResponse response(final CommandResult result) {
        return WebhookResponse.of(result.status(), result.body());
    }

    private CommandResult endCallHere(final String edge, final String callId, final String argument) {
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        if (!proxy.offer(CallCommand.HANG_UP_AGENT)) {
            refused.increment();
            return CommandResult.error(503, "the call is busy; try again");
        }
        hangUps.increment();
        return new CommandResult(202, JSON.createObjectNode().put("id", callId).put("edge", edge).put("state", "hanging up")
            .toString());
    }

    private CommandResult transferHere(final String edge, final String callId, final String argument) {
        final TransferRequest transfer;
        try {
            final JsonNode body = JSON.readTree(argument == null ? "" : argument);
            transfer = TransferRequest.of(body.path("to").asText(""),
                body.path("announce").isTextual() ? body.get("announce").asText() : null, TransferRequest.Origin.AGENT);
        } catch (final JsonProcessingException | IllegalArgumentException ex) {
            refused.increment();
            return CommandResult.error(400, ex instanceof IllegalArgumentException ? ex.getMessage() : "the argument is not JSON");
        }
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        if (!proxy.offer(CallCommand.transfer(transfer))) {
            refused.increment();
            return CommandResult.error(503, "the call is busy; try again");
        }
        transfers.increment();
        final ObjectNode answer = JSON.createObjectNode().put("id", callId).put("edge", edge);
        answer.putObject("transfer").put("id", transfer.id()).put("to", transfer.target())
            .put("state", TransferState.REQUESTED.label());
        return new CommandResult(202, answer.toString());
    }

    private CommandResult transferDestinationHere(final String edge, final String callId, final String argument) {
        if (registry.stats(edge, callId) == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        return new CommandResult(200, transferTarget == null ? VapiTransferDestination.NONE
            : VapiTransferDestination.answer(transferTarget));
    }

    /** Calls ended on their agent's request through the webhook. */
    long hangUps() {
        return hangUps.sum();
    }

    /** Transfers queued on the agent's request through the webhook. */
    long transfers() {
        return transfers.sum();
    }

    /** Webhook commands a call refused: an unusable target (400) or a full command ring (503). */
    long refused() {
        return refused.sum();
    }
}
