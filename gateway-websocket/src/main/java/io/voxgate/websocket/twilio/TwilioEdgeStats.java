package io.voxgate.websocket.twilio;

import io.voxgate.websocket.twilio.stream.StreamStats;
import io.voxgate.websocket.twilio.webhook.WebhookStats;

/**
 * Counters of the Twilio edge, for {@code /metrics} and tests: every expected failure has one, so nothing the edge
 * rejects is silent.
 *
 * <p>The counts are kept where they are made: the webhook side in {@link WebhookStats}, the stream side in
 * {@link StreamStats}, each incremented only by its own package; this type is the edge's one read view of both.
 *
 * <p>Threading: written from every event loop, readable from any thread; values are totals since start, except
 * {@link #streamsActive()}.
 */
public final class TwilioEdgeStats {
    private final WebhookStats webhook = new WebhookStats();
    private final StreamStats stream = new StreamStats();

    TwilioEdgeStats() {
    }

    WebhookStats webhook() {
        return webhook;
    }

    StreamStats stream() {
        return stream;
    }

    /** Webhooks answered with stream TwiML. */
    public long webhooksAnswered() {
        return webhook.webhooksAnswered();
    }

    /** Webhooks refused with 403: signature missing or wrong. */
    public long webhooksRejectedSignature() {
        return webhook.webhooksRejectedSignature();
    }

    /** Webhooks refused with 503 because the gateway was at its call limit. */
    public long webhooksRefusedFull() {
        return webhook.webhooksRefusedFull();
    }

    /** Webhooks refused with 503 because the gateway was draining. */
    public long webhooksRefusedDraining() {
        return webhook.webhooksRefusedDraining();
    }

    /** Webhooks for a live CallSid, answered with the recorded TwiML (no new token). */
    public long webhooksRepeated() {
        return webhook.webhooksRepeated();
    }

    /** Webhooks refused with 503 because the record of admitted calls was full. */
    public long webhooksRefusedRecordFull() {
        return webhook.webhooksRefusedRecordFull();
    }

    /** Upgrades refused with 403 because no stream was expected for the CallSid (not admitted, or already streamed). */
    public long upgradesRejectedNotAdmitted() {
        return stream.upgradesRejectedNotAdmitted();
    }

    /** Streams closed with 1008 at {@code start}: CallSid not admitted, or a stream already started for it. */
    public long streamsRejectedNotAdmitted() {
        return stream.streamsRejectedNotAdmitted();
    }

    /** Webhooks refused with 400: no or malformed CallSid. */
    public long webhooksMalformed() {
        return webhook.webhooksMalformed();
    }

    /** Stream status callbacks accepted. */
    public long statusCallbacks() {
        return webhook.statusCallbacks();
    }

    /** Stream status callbacks refused with 403. */
    public long statusCallbacksRejectedSignature() {
        return webhook.statusCallbacksRejectedSignature();
    }

    /** {@code stream-error} events Twilio reported. */
    public long streamErrorsReported() {
        return webhook.streamErrorsReported();
    }

    /** Media stream upgrades accepted (101). */
    public long upgradesAccepted() {
        return stream.upgradesAccepted();
    }

    /** Media stream upgrades refused with 403: forged signature, or a required one missing. */
    public long upgradesRejectedSignature() {
        return stream.upgradesRejectedSignature();
    }

    /** Media stream upgrades refused with 404: no valid CallSid in the path. */
    public long upgradesRejectedPath() {
        return stream.upgradesRejectedPath();
    }

    /** Streams whose {@code start} was accepted and that became calls. */
    public long streamsStarted() {
        return stream.streamsStarted();
    }

    /** Started streams that have ended (any cause). */
    public long streamsEnded() {
        return stream.streamsEnded();
    }

    /** Started streams not yet ended. */
    public long streamsActive() {
        return stream.streamsActive();
    }

    /** Streams closed with 1008 for a missing, malformed, forged, or expired call token. */
    public long streamsRejectedToken() {
        return stream.streamsRejectedToken();
    }

    /** Of {@link #streamsRejectedToken()}: no token. */
    public long tokensMissing() {
        return stream.tokensMissing();
    }

    /** Of {@link #streamsRejectedToken()}: expired token. */
    public long tokensExpired() {
        return stream.tokensExpired();
    }

    /** Of {@link #streamsRejectedToken()}: malformed or forged token. */
    public long tokensInvalid() {
        return stream.tokensInvalid();
    }

    /** Streams closed with 1008 for an unusable {@code start} (fields, format, CallSid not matching the URL). */
    public long streamsRejectedStart() {
        return stream.streamsRejectedStart();
    }

    /** Streams refused at {@code start} by the call registry (full, draining, duplicate). */
    public long streamsRefused() {
        return stream.streamsRefused();
    }

    /** Streams closed because no {@code start} came in time. */
    public long streamsStartTimedOut() {
        return stream.streamsStartTimedOut();
    }

    /** Started streams ended because nothing arrived for the idle timeout. */
    public long streamsIdleTimedOut() {
        return stream.streamsIdleTimedOut();
    }

    /** Streams closed with 1008 after too many rejected messages. */
    public long streamsOverErrorBudget() {
        return stream.streamsOverErrorBudget();
    }

    /** Streams whose connection ended without {@code stop} or a close frame. */
    public long streamsDroppedWithoutStop() {
        return stream.streamsDroppedWithoutStop();
    }

    /** Streams the server closed for a frame-level violation (oversized: 1009; malformed frame: 1002). */
    public long streamsClosedByViolation() {
        return stream.streamsClosedByViolation();
    }

    /** Text frames that were not one valid JSON object (dropped). */
    public long messagesInvalidJson() {
        return stream.messagesInvalidJson();
    }

    /** Messages with an event name this edge does not know (dropped; Twilio may add events). */
    public long messagesUnknownEvent() {
        return stream.messagesUnknownEvent();
    }

    /** Messages without a field their event requires (dropped). */
    public long messagesMissingFields() {
        return stream.messagesMissingFields();
    }

    /** Media, mark and DTMF messages before {@code start} (dropped). */
    public long messagesBeforeStart() {
        return stream.messagesBeforeStart();
    }

    /** Messages whose {@code streamSid} is not the stream's (dropped). */
    public long messagesWrongStreamSid() {
        return stream.messagesWrongStreamSid();
    }

    /** Second {@code start} messages (dropped). */
    public long messagesDuplicateStart() {
        return stream.messagesDuplicateStart();
    }

    /** Binary frames (Twilio sends text only; dropped). */
    public long binaryFrames() {
        return stream.binaryFrames();
    }

    /** Media payloads that were not valid base64 (dropped). */
    public long mediaBadBase64() {
        return stream.mediaBadBase64();
    }

    /** Media payloads over the configured size (dropped). */
    public long mediaTooLong() {
        return stream.mediaTooLong();
    }

    /** Media messages received and passed to calls. */
    public long mediaFramesIn() {
        return stream.mediaFramesIn();
    }

    /** Audio bytes received (decoded mu-law). */
    public long mediaBytesIn() {
        return stream.mediaBytesIn();
    }

    /** Media messages sent to Twilio. */
    public long mediaFramesOut() {
        return stream.mediaFramesOut();
    }

    /** Audio bytes sent to Twilio (mu-law, before base64). */
    public long mediaBytesOut() {
        return stream.mediaBytesOut();
    }

    /** Outbound media dropped because the connection was not writable (Twilio not reading). */
    public long framesDroppedUnwritable() {
        return stream.framesDroppedUnwritable();
    }

    /** Marks sent to Twilio. */
    public long marksSent() {
        return stream.marksSent();
    }

    /** Echoed marks whose audio was played. */
    public long marksPlayed() {
        return stream.marksPlayed();
    }

    /** Echoed marks whose audio a clear discarded. */
    public long marksCleared() {
        return stream.marksCleared();
    }

    /** Echoed marks this edge never sent (dropped). */
    public long marksUnknown() {
        return stream.marksUnknown();
    }

    /** Clear messages sent (accepted barge-ins). */
    public long clearsSent() {
        return stream.clearsSent();
    }

    /** DTMF digits passed to calls. */
    public long dtmfDigits() {
        return stream.dtmfDigits();
    }

    /** DTMF digits agents asked to play to callers, refused: Media Streams cannot send DTMF toward Twilio. */
    public long dtmfDigitsOutRefused() {
        return stream.dtmfDigitsOutRefused();
    }
}
