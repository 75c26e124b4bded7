package io.voxgate.websocket.twilio.webhook;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the Twilio webhooks (voice webhook and stream status callback), read through
 * {@link io.voxgate.websocket.twilio.TwilioEdgeStats}: every refusal has one.
 *
 * <p>Threading: incremented only by this package, from every event loop (each increment is a lock-free
 * {@link LongAdder} add that allocates nothing once warm); readable from any thread; values are totals since start.
 */
public final class WebhookStats {
    final LongAdder webhooksAnswered = new LongAdder();
    final LongAdder webhooksRejectedSignature = new LongAdder();
    final LongAdder webhooksRefusedFull = new LongAdder();
    final LongAdder webhooksRefusedDraining = new LongAdder();
    final LongAdder webhooksMalformed = new LongAdder();
    final LongAdder webhooksRepeated = new LongAdder();
    final LongAdder webhooksRefusedRecordFull = new LongAdder();
    final LongAdder statusCallbacks = new LongAdder();
    final LongAdder statusCallbacksRejectedSignature = new LongAdder();
    final LongAdder streamErrorsReported = new LongAdder();

    /** Webhooks answered with stream TwiML. */
    public long webhooksAnswered() {
        return webhooksAnswered.sum();
    }

    /** Webhooks refused with 403: signature missing or wrong. */
    public long webhooksRejectedSignature() {
        return webhooksRejectedSignature.sum();
    }

    /** Webhooks refused with 503 because the gateway was at its call limit. */
    public long webhooksRefusedFull() {
        return webhooksRefusedFull.sum();
    }

    /** Webhooks refused with 503 because the gateway was draining. */
    public long webhooksRefusedDraining() {
        return webhooksRefusedDraining.sum();
    }

    /** Webhooks for a live CallSid, answered with the recorded TwiML (no new token). */
    public long webhooksRepeated() {
        return webhooksRepeated.sum();
    }

    /** Webhooks refused with 503 because the record of admitted calls was full. */
    public long webhooksRefusedRecordFull() {
        return webhooksRefusedRecordFull.sum();
    }

    /** Webhooks refused with 400: no or malformed CallSid. */
    public long webhooksMalformed() {
        return webhooksMalformed.sum();
    }

    /** Stream status callbacks accepted. */
    public long statusCallbacks() {
        return statusCallbacks.sum();
    }

    /** Stream status callbacks refused with 403. */
    public long statusCallbacksRejectedSignature() {
        return statusCallbacksRejectedSignature.sum();
    }

    /** {@code stream-error} events Twilio reported. */
    public long streamErrorsReported() {
        return streamErrorsReported.sum();
    }
}
