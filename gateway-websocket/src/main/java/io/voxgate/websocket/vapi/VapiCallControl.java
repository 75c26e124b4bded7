package io.voxgate.websocket.vapi;

import java.util.concurrent.CompletableFuture;

/**
 * What Vapi's server-URL messages ask of a gateway call, handed over by the webhook endpoint once the request is
 * authentic: end it ({@code end-call}, {@code phone-call-control} {@code hang-up}), transfer the caller
 * ({@code phone-call-control} {@code forward}), or name where to transfer it ({@code transfer-destination-request}).
 * The launcher carries each to the node that runs the call (in a cluster, through Redis) and completes with what
 * that node answered, which is what Vapi gets: 202 queued, 404 when no node runs the call, 504 when the node running
 * it did not answer in time, 503 when the cluster's state is unreachable.
 *
 * <p>Threading: called on the webhook's HTTP event loop; never blocks; the future completes on any thread.
 */
public interface VapiCallControl {
    /** Asks gateway call {@code gatewayCallId} to end, as its agent's hang-up. */
    CompletableFuture<WebhookResponse> hangUp(String gatewayCallId);

    /**
     * Asks gateway call {@code gatewayCallId} to transfer its caller to {@code target} (unchecked: the call checks
     * it), saying {@code announce} first where the edge can (null for nothing).
     */
    CompletableFuture<WebhookResponse> transfer(String gatewayCallId, String target, String announce);

    /**
     * The answer to a {@code transfer-destination-request} for gateway call {@code gatewayCallId}, from the node that
     * runs it: {@link VapiTransferDestination#answer} or {@link VapiTransferDestination#NONE}.
     */
    CompletableFuture<WebhookResponse> transferDestination(String gatewayCallId);
}
