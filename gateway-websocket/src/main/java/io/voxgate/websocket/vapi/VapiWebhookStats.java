package io.voxgate.websocket.vapi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of {@code POST /webhook/vapi}, for the launcher's metrics.
 *
 * <p>Threading: updated from any HTTP thread, read from any thread.
 */
public final class VapiWebhookStats {
    private final LongAdder requests = new LongAdder();
    private final LongAdder rejectedMissing = new LongAdder();
    private final LongAdder rejectedForged = new LongAdder();
    private final LongAdder rejectedStale = new LongAdder();
    private final LongAdder rejectedReplayed = new LongAdder();
    private final LongAdder rejectedReplayCacheFull = new LongAdder();
    private final LongAdder rejectedMethod = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder assistantRequests = new LongAdder();
    private final LongAdder statusUpdates = new LongAdder();
    private final LongAdder endOfCallReports = new LongAdder();
    private final LongAdder userInterrupted = new LongAdder();
    private final LongAdder bargeInsOffered = new LongAdder();
    private final LongAdder bargeInsRefused = new LongAdder();
    private final LongAdder bargeInsNotOnNode = new LongAdder();
    private final LongAdder otherMessages = new LongAdder();
    private final LongAdder callMessages = new LongAdder();
    private final LongAdder callMessagesWithoutCall = new LongAdder();

    /** Requests received. */
    public long requests() {
        return requests.sum();
    }

    /** 401s for a missing or ill-formed credential. */
    public long rejectedMissing() {
        return rejectedMissing.sum();
    }

    /** 401s for a wrong token, secret or signature. */
    public long rejectedForged() {
        return rejectedForged.sum();
    }

    /** 401s for a signature timestamp outside the replay window. */
    public long rejectedStale() {
        return rejectedStale.sum();
    }

    /** 401s for a signature seen before. */
    public long rejectedReplayed() {
        return rejectedReplayed.sum();
    }

    /** HMAC requests refused because the replay cache was full of signatures still inside their window. */
    public long rejectedReplayCacheFull() {
        return rejectedReplayCacheFull.sum();
    }

    /** 405s for a method other than POST. */
    public long rejectedMethod() {
        return rejectedMethod.sum();
    }

    /** 400s for a body that is not a JSON message with a type. */
    public long malformed() {
        return malformed.sum();
    }

    /** {@code assistant-request}s answered. */
    public long assistantRequests() {
        return assistantRequests.sum();
    }

    /** {@code status-update}s kept. */
    public long statusUpdates() {
        return statusUpdates.sum();
    }

    /** {@code end-of-call-report}s kept. */
    public long endOfCallReports() {
        return endOfCallReports.sum();
    }

    /** {@code user-interrupted} messages received. */
    public long userInterrupted() {
        return userInterrupted.sum();
    }

    /** Barge-ins handed to a call on this node. */
    public long bargeInsOffered() {
        return bargeInsOffered.sum();
    }

    /** Barge-ins the call could not take. */
    public long bargeInsRefused() {
        return bargeInsRefused.sum();
    }

    /** Barge-ins for calls not on this node (or unknown). */
    public long bargeInsNotOnNode() {
        return bargeInsNotOnNode.sum();
    }

    /** Other message types, acknowledged and otherwise ignored. */
    public long otherMessages() {
        return otherMessages.sum();
    }

    /**
     * Messages that act on a call ({@code end-call}, {@code phone-call-control}, {@code transfer-destination-request})
     * handed to the call's node.
     */
    public long callMessages() {
        return callMessages.sum();
    }

    /** Messages that act on a call but name none the gateway knows (no gateway call id): answered at once. */
    public long callMessagesWithoutCall() {
        return callMessagesWithoutCall.sum();
    }

    void callMessage(final boolean withCall) {
        (withCall ? callMessages : callMessagesWithoutCall).increment();
    }

    void request() {
        requests.increment();
    }

    void rejected(final VapiWebhookAuthenticator.Verdict verdict) {
        switch (verdict) {
            case MISSING:
                rejectedMissing.increment();
                break;
            case FORGED:
                rejectedForged.increment();
                break;
            case STALE:
                rejectedStale.increment();
                break;
            case REPLAYED:
                rejectedReplayed.increment();
                break;
            case CACHE_FULL:
                rejectedReplayCacheFull.increment();
                break;
            default:
                break;
        }
    }

    void countRejectedMethod() {
        rejectedMethod.increment();
    }

    void countMalformed() {
        malformed.increment();
    }

    void assistantRequest() {
        assistantRequests.increment();
    }

    void statusUpdate() {
        statusUpdates.increment();
    }

    void endOfCallReport() {
        endOfCallReports.increment();
    }

    void countUserInterrupted() {
        userInterrupted.increment();
    }

    void bargeIn(final boolean onNode, final boolean taken) {
        if (!onNode) {
            bargeInsNotOnNode.increment();
        } else if (taken) {
            bargeInsOffered.increment();
        } else {
            bargeInsRefused.increment();
        }
    }

    void other() {
        otherMessages.increment();
    }
}
