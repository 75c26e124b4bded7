package io.voxgate.websocket.vapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded in-memory store of {@link VapiCallRecord}s keyed by Vapi call id: the Vapi adapter binds each
 * Vapi call to its gateway call when {@code POST /call} succeeds, and the webhook endpoint adds statuses and
 * end-of-call reports. When full, the oldest call is forgotten.
 *
 * <p>Threading: safe on any thread; every operation takes this store's monitor for a few map operations. It is
 * off the media path (once per call and per webhook). Units: {@code maxReportChars} in UTF-16 chars.
 */
public final class VapiCallRecords {
    /** Default number of calls remembered. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** Default cap on a kept end-of-call report (reports carry transcripts and can be large). */
    public static final int DEFAULT_MAX_REPORT_CHARS = 64 * 1024;

    private final int capacity;
    private final int maxReportChars;
    private final Map<String, VapiCallRecord> records;

    /** A store with the default capacity and report cap. */
    public VapiCallRecords() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_REPORT_CHARS);
    }

    /**
     * A store remembering at most {@code capacity} calls and {@code maxReportChars} of each report.
     *
     * @throws IllegalArgumentException when either bound is not positive
     */
    public VapiCallRecords(final int capacity, final int maxReportChars) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        if (maxReportChars <= 0) {
            throw new IllegalArgumentException("maxReportChars must be positive, was " + maxReportChars);
        }
        this.capacity = capacity;
        this.maxReportChars = maxReportChars;
        this.records = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, VapiCallRecord> eldest) {
                return size() > VapiCallRecords.this.capacity;
            }
        };
    }

    /** Binds a Vapi call to the gateway call it serves. */
    public synchronized void bind(final String vapiCallId, final String gatewayCallId) {
        records.put(vapiCallId, recordOf(vapiCallId).withGatewayCallId(gatewayCallId));
    }

    /** Keeps the last {@code status} (and {@code endedReason}, when given) Vapi reported for a call. */
    public synchronized void status(final String vapiCallId, final String gatewayCallIdHint, final String status,
                                    final String endedReason) {
        records.put(vapiCallId, recordOf(vapiCallId).withGatewayCallId(gatewayCallIdHint).withStatus(status, endedReason));
    }

    /** Keeps a call's end-of-call report (cut to the store's limit). */
    public synchronized void endOfCallReport(final String vapiCallId, final String gatewayCallIdHint, final String endedReason,
                                             final String reportJson) {
        final String kept = reportJson.length() > maxReportChars ? reportJson.substring(0, maxReportChars) : reportJson;
        records.put(vapiCallId, recordOf(vapiCallId).withGatewayCallId(gatewayCallIdHint).withReport(endedReason, kept));
    }

    /** The record of a Vapi call, if still remembered. */
    public synchronized Optional<VapiCallRecord> find(final String vapiCallId) {
        return Optional.ofNullable(records.get(vapiCallId));
    }

    /** Calls remembered. */
    public synchronized int size() {
        return records.size();
    }

    private VapiCallRecord recordOf(final String vapiCallId) {
        final VapiCallRecord existing = records.remove(vapiCallId);
        return existing != null ? existing : new VapiCallRecord(vapiCallId, null, null, null, null);
    }
}
