package io.voxgate.websocket.twilio.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the Twilio media streams (upgrades, messages, media, marks), read through
 * {@link io.voxgate.websocket.twilio.TwilioEdgeStats}: every refusal has one.
 *
 * <p>Threading: incremented only by this package, from every event loop (each increment is a lock-free
 * {@link LongAdder} add that allocates nothing once warm); readable from any thread; values are totals since start,
 * except {@link #streamsActive()}.
 */
public final class StreamStats {
    final LongAdder upgradesRejectedNotAdmitted = new LongAdder();
    final LongAdder streamsRejectedNotAdmitted = new LongAdder();
    final LongAdder upgradesAccepted = new LongAdder();
    final LongAdder upgradesRejectedSignature = new LongAdder();
    final LongAdder upgradesRejectedPath = new LongAdder();
    final LongAdder streamsStarted = new LongAdder();
    final LongAdder streamsEnded = new LongAdder();
    final LongAdder streamsRejectedToken = new LongAdder();
    final LongAdder tokensMissing = new LongAdder();
    final LongAdder tokensExpired = new LongAdder();
    final LongAdder tokensInvalid = new LongAdder();
    final LongAdder streamsRejectedStart = new LongAdder();
    final LongAdder streamsRefused = new LongAdder();
    final LongAdder streamsStartTimedOut = new LongAdder();
    final LongAdder streamsIdleTimedOut = new LongAdder();
    final LongAdder streamsOverErrorBudget = new LongAdder();
    final LongAdder streamsDroppedWithoutStop = new LongAdder();
    final LongAdder streamsClosedByViolation = new LongAdder();
    final LongAdder messagesInvalidJson = new LongAdder();
    final LongAdder messagesUnknownEvent = new LongAdder();
    final LongAdder messagesMissingFields = new LongAdder();
    final LongAdder messagesBeforeStart = new LongAdder();
    final LongAdder messagesWrongStreamSid = new LongAdder();
    final LongAdder messagesDuplicateStart = new LongAdder();
    final LongAdder binaryFrames = new LongAdder();
    final LongAdder mediaBadBase64 = new LongAdder();
    final LongAdder mediaTooLong = new LongAdder();
    final LongAdder mediaFramesIn = new LongAdder();
    final LongAdder mediaBytesIn = new LongAdder();
    final LongAdder mediaFramesOut = new LongAdder();
    final LongAdder mediaBytesOut = new LongAdder();
    final LongAdder framesDroppedUnwritable = new LongAdder();
    final LongAdder marksSent = new LongAdder();
    final LongAdder marksPlayed = new LongAdder();
    final LongAdder marksCleared = new LongAdder();
    final LongAdder marksUnknown = new LongAdder();
    final LongAdder clearsSent = new LongAdder();
    final LongAdder dtmfDigits = new LongAdder();
    final LongAdder dtmfDigitsOutRefused = new LongAdder();

    /** Upgrades refused with 403 because no stream was expected for the CallSid (not admitted, or already streamed). */
    public long upgradesRejectedNotAdmitted() {
        return upgradesRejectedNotAdmitted.sum();
    }

    /** Streams closed with 1008 at {@code start}: CallSid not admitted, or a stream already started for it. */
    public long streamsRejectedNotAdmitted() {
        return streamsRejectedNotAdmitted.sum();
    }

    /** Media stream upgrades accepted (101). */
    public long upgradesAccepted() {
        return upgradesAccepted.sum();
    }

    /** Media stream upgrades refused with 403: forged signature, or a required one missing. */
    public long upgradesRejectedSignature() {
        return upgradesRejectedSignature.sum();
    }

    /** Media stream upgrades refused with 404: no valid CallSid in the path. */
    public long upgradesRejectedPath() {
        return upgradesRejectedPath.sum();
    }

    /** Streams whose {@code start} was accepted and that became calls. */
    public long streamsStarted() {
        return streamsStarted.sum();
    }

    /** Started streams that have ended (any cause). */
    public long streamsEnded() {
        return streamsEnded.sum();
    }

    /** Started streams not yet ended. */
    public long streamsActive() {
        return streamsStarted.sum() - streamsEnded.sum();
    }

    /** Streams closed with 1008 for a missing, malformed, forged, or expired call token. */
    public long streamsRejectedToken() {
        return streamsRejectedToken.sum();
    }

    /** Of {@link #streamsRejectedToken()}: no token. */
    public long tokensMissing() {
        return tokensMissing.sum();
    }

    /** Of {@link #streamsRejectedToken()}: expired token. */
    public long tokensExpired() {
        return tokensExpired.sum();
    }

    /** Of {@link #streamsRejectedToken()}: malformed or forged token. */
    public long tokensInvalid() {
        return tokensInvalid.sum();
    }

    /** Streams closed with 1008 for an unusable {@code start} (fields, format, CallSid not matching the URL). */
    public long streamsRejectedStart() {
        return streamsRejectedStart.sum();
    }

    /** Streams refused at {@code start} by the call registry (full, draining, duplicate). */
    public long streamsRefused() {
        return streamsRefused.sum();
    }

    /** Streams closed because no {@code start} came in time. */
    public long streamsStartTimedOut() {
        return streamsStartTimedOut.sum();
    }

    /** Started streams ended because nothing arrived for the idle timeout. */
    public long streamsIdleTimedOut() {
        return streamsIdleTimedOut.sum();
    }

    /** Streams closed with 1008 after too many rejected messages. */
    public long streamsOverErrorBudget() {
        return streamsOverErrorBudget.sum();
    }

    /** Streams whose connection ended without {@code stop} or a close frame. */
    public long streamsDroppedWithoutStop() {
        return streamsDroppedWithoutStop.sum();
    }

    /** Streams the server closed for a frame-level violation (oversized: 1009; malformed frame: 1002). */
    public long streamsClosedByViolation() {
        return streamsClosedByViolation.sum();
    }

    /** Text frames that were not one valid JSON object (dropped). */
    public long messagesInvalidJson() {
        return messagesInvalidJson.sum();
    }

    /** Messages with an event name this edge does not know (dropped; Twilio may add events). */
    public long messagesUnknownEvent() {
        return messagesUnknownEvent.sum();
    }

    /** Messages without a field their event requires (dropped). */
    public long messagesMissingFields() {
        return messagesMissingFields.sum();
    }

    /** Media, mark and DTMF messages before {@code start} (dropped). */
    public long messagesBeforeStart() {
        return messagesBeforeStart.sum();
    }

    /** Messages whose {@code streamSid} is not the stream's (dropped). */
    public long messagesWrongStreamSid() {
        return messagesWrongStreamSid.sum();
    }

    /** Second {@code start} messages (dropped). */
    public long messagesDuplicateStart() {
        return messagesDuplicateStart.sum();
    }

    /** Binary frames (Twilio sends text only; dropped). */
    public long binaryFrames() {
        return binaryFrames.sum();
    }

    /** Media payloads that were not valid base64 (dropped). */
    public long mediaBadBase64() {
        return mediaBadBase64.sum();
    }

    /** Media payloads over the configured size (dropped). */
    public long mediaTooLong() {
        return mediaTooLong.sum();
    }

    /** Media messages received and passed to calls. */
    public long mediaFramesIn() {
        return mediaFramesIn.sum();
    }

    /** Audio bytes received (decoded mu-law). */
    public long mediaBytesIn() {
        return mediaBytesIn.sum();
    }

    /** Media messages sent to Twilio. */
    public long mediaFramesOut() {
        return mediaFramesOut.sum();
    }

    /** Audio bytes sent to Twilio (mu-law, before base64). */
    public long mediaBytesOut() {
        return mediaBytesOut.sum();
    }

    /** Outbound media dropped because the connection was not writable (Twilio not reading). */
    public long framesDroppedUnwritable() {
        return framesDroppedUnwritable.sum();
    }

    /** Marks sent to Twilio. */
    public long marksSent() {
        return marksSent.sum();
    }

    /** Echoed marks whose audio was played. */
    public long marksPlayed() {
        return marksPlayed.sum();
    }

    /** Echoed marks whose audio a clear discarded. */
    public long marksCleared() {
        return marksCleared.sum();
    }

    /** Echoed marks this edge never sent (dropped). */
    public long marksUnknown() {
        return marksUnknown.sum();
    }

    /** Clear messages sent (accepted barge-ins). */
    public long clearsSent() {
        return clearsSent.sum();
    }

    /** DTMF digits passed to calls. */
    public long dtmfDigits() {
        return dtmfDigits.sum();
    }

    /** DTMF digits agents asked to play to callers, refused: Media Streams cannot send DTMF toward Twilio. */
    public long dtmfDigitsOutRefused() {
        return dtmfDigitsOutRefused.sum();
    }
}
