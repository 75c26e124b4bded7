package io.voxgate.websocket.twilio.webhook;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This node's record of the calls its voice webhook admitted, so a media stream can be tied to one: the CallSid, the
 * TwiML it was answered with (whose token is the call's only one) and whether a stream has started for it.
 *
 * <ul>
 *   <li>A repeated webhook for a live CallSid (Twilio retries) gets the recorded TwiML again, never a new token.</li>
 *   <li>A stream is accepted only for a recorded CallSid (or, in
 *       {@link io.voxgate.websocket.twilio.stream.StreamAuthentication#SIGNATURE} mode, where the TwiML is not ours,
 *       for any CallSid), and at most one stream per CallSid ever starts.</li>
 *   <li>Bounded: at {@code capacity} live records a new call is refused (the webhook answers 503); a record is never
 *       dropped before it expires. A record expires {@code ttlSeconds} after the webhook, or after its stream ended,
 *       and never while its stream runs.</li>
 * </ul>
 *
 * The TwiML names this node's own public URL, so the stream comes back to the node that holds the record.
 *
 * <p>Threading: safe on any thread; webhooks and stream starts are rare (one each per call), so one monitor guards
 * the map; the media path never touches it. The stream side sees only {@link #mayStream}, {@link #claim} and
 * {@link #streamEnded}.
 */
public final class AdmittedCalls {
    /** The outcome of {@link #claim}. */
    public enum Claim {
        /** The stream may start: the call is now streaming. */
        CLAIMED,
        /** The webhook never admitted this CallSid (or its record expired). */
        NOT_ADMITTED,
        /** A stream has already started for this CallSid. */
        ALREADY_STREAMED,
        /** No room to record the call (signature mode only, where a stream creates its record). */
        FULL
    }

    private enum State { ADMITTED, STREAMING, ENDED }

    private static final class Entry {
        final String twiml;
        long expiresAtSeconds;
        State state = State.ADMITTED;

        Entry(final String twiml, final long expiresAtSeconds) {
            this.twiml = twiml;
            this.expiresAtSeconds = expiresAtSeconds;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final int capacity;
    private final long ttlSeconds;
    private final boolean webhookRequired;

    /**
     * @param capacity        live records at most
     * @param ttlSeconds      how long a record outlives its webhook, or its stream's end
     * @param webhookRequired whether a stream needs a record made by the webhook (false in signature mode)
     */
    public AdmittedCalls(final int capacity, final long ttlSeconds, final boolean webhookRequired) {
        if (capacity <= 0 || ttlSeconds <= 0) {
            throw new IllegalArgumentException("capacity and TTL must be positive, were " + capacity + ", " + ttlSeconds);
        }
        this.capacity = capacity;
        this.ttlSeconds = ttlSeconds;
        this.webhookRequired = webhookRequired;
    }

    /** A webhook's answer: the TwiML, and whether it repeats an earlier answer for the same CallSid. */
    record Answer(String twiml, boolean repeated) {
    }

    /**
     * The TwiML for {@code callSid}: the recorded one when the call is live, else a new record with
     * {@code newTwiml}'s.
     *
     * @return the answer, or {@code null} when the record is full
     */
    synchronized Answer admit(final String callSid, final long nowEpochSeconds, final Supplier<String> newTwiml) {
        final Entry live = liveEntry(callSid, nowEpochSeconds);
        if (live != null) {
            return new Answer(live.twiml, true);
        }
        if (!roomFor(nowEpochSeconds)) {
            return null;
        }
        final String twiml = newTwiml.get();
        entries.put(callSid, new Entry(twiml, nowEpochSeconds + ttlSeconds));
        return new Answer(twiml, false);
    }

    /** The recorded answer for {@code callSid} when the call is live, else {@code null}. */
    synchronized Answer recorded(final String callSid, final long nowEpochSeconds) {
        final Entry live = liveEntry(callSid, nowEpochSeconds);
        return live == null || live.twiml.isEmpty() ? null : new Answer(live.twiml, true);
    }

    /** Whether a stream for {@code callSid} may still start (checked at the upgrade, before the {@code 101}). */
    public synchronized boolean mayStream(final String callSid, final long nowEpochSeconds) {
        final Entry live = liveEntry(callSid, nowEpochSeconds);
        return live == null ? !webhookRequired : live.state == State.ADMITTED;
    }

    /** Marks {@code callSid} streaming when it may start a stream (once per CallSid). */
    public synchronized Claim claim(final String callSid, final long nowEpochSeconds) {
        final Entry live = liveEntry(callSid, nowEpochSeconds);
        if (live == null) {
            if (webhookRequired) {
                return Claim.NOT_ADMITTED;
            }
            if (!roomFor(nowEpochSeconds)) {
                return Claim.FULL;
            }
            final Entry created = new Entry("", nowEpochSeconds + ttlSeconds);
            created.state = State.STREAMING;
            entries.put(callSid, created);
            return Claim.CLAIMED;
        }
        if (live.state != State.ADMITTED) {
            return Claim.ALREADY_STREAMED;
        }
        live.state = State.STREAMING;
        return Claim.CLAIMED;
    }

    /**
     * Whether this node's voice webhook answered {@code callSid} with TwiML (rather than a stream making its own record
     * in signature mode): the node promised to take that call's stream, even if it began draining since.
     */
    public synchronized boolean answeredHere(final String callSid) {
        final Entry entry = entries.get(callSid);
        return entry != null && !entry.twiml.isEmpty();
    }

    /** The stream of {@code callSid} ended: the record stays {@code ttlSeconds} more, to refuse replays. */
    public synchronized void streamEnded(final String callSid, final long nowEpochSeconds) {
        final Entry entry = entries.get(callSid);
        if (entry != null && entry.state == State.STREAMING) {
            entry.state = State.ENDED;
            entry.expiresAtSeconds = nowEpochSeconds + ttlSeconds;
        }
    }

    /** Records held now (live or not yet swept). */
    synchronized int size() {
        return entries.size();
    }

    private Entry liveEntry(final String callSid, final long nowEpochSeconds) {
        final Entry entry = entries.get(callSid);
        if (entry == null) {
            return null;
        }
        if (expired(entry, nowEpochSeconds)) {
            entries.remove(callSid);
            return null;
        }
        return entry;
    }

    private boolean roomFor(final long nowEpochSeconds) {
        if (entries.size() < capacity) {
            return true;
        }
        final Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (expired(it.next(), nowEpochSeconds)) {
                it.remove();
            }
        }
        return entries.size() < capacity;
    }

    private static boolean expired(final Entry entry, final long nowEpochSeconds) {
        return entry.state != State.STREAMING && nowEpochSeconds > entry.expiresAtSeconds;
    }
}
