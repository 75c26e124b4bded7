package io.voxgate.websocket.vapi;

/**
 * What the gateway knows of one Vapi call: the gateway call it serves (Twilio CallSid or SIP Call-ID, when
 * known), the last status Vapi reported, and the end-of-call report.
 *
 * <p>Immutable; safe on any thread. {@link #toString()} shortens the Vapi call id, which is the secret part of
 * the call's socket URL.
 */
public final class VapiCallRecord {
    private final String vapiCallId;
    private final String gatewayCallId;
    private final String status;
    private final String endedReason;
    private final String endOfCallReport;

    VapiCallRecord(final String vapiCallId, final String gatewayCallId, final String status, final String endedReason,
                   final String endOfCallReport) {
        this.vapiCallId = vapiCallId;
        this.gatewayCallId = gatewayCallId == null ? "" : gatewayCallId;
        this.status = status == null ? "" : status;
        this.endedReason = endedReason == null ? "" : endedReason;
        this.endOfCallReport = endOfCallReport == null ? "" : endOfCallReport;
    }

    /** Vapi's call id (a secret: log {@link VapiRedaction#callIdForLog} of it, never the whole id). */
    public String vapiCallId() {
        return vapiCallId;
    }

    /** The gateway's call id, or empty when not known. */
    public String gatewayCallId() {
        return gatewayCallId;
    }

    /** The last status from a {@code status-update} webhook, or empty. */
    public String status() {
        return status;
    }

    /** Vapi's {@code endedReason}, or empty. */
    public String endedReason() {
        return endedReason;
    }

    /** The end-of-call report message as JSON text (possibly cut to the store's limit), or empty. */
    public String endOfCallReport() {
        return endOfCallReport;
    }

    /** Whether an end-of-call report arrived. */
    public boolean hasEndOfCallReport() {
        return !endOfCallReport.isEmpty();
    }

    VapiCallRecord withGatewayCallId(final String id) {
        return id == null || id.isEmpty() ? this : new VapiCallRecord(vapiCallId, id, status, endedReason, endOfCallReport);
    }

    VapiCallRecord withStatus(final String newStatus, final String newEndedReason) {
        return new VapiCallRecord(vapiCallId, gatewayCallId, newStatus,
            newEndedReason == null || newEndedReason.isEmpty() ? endedReason : newEndedReason, endOfCallReport);
    }

    VapiCallRecord withReport(final String newEndedReason, final String report) {
        return new VapiCallRecord(vapiCallId, gatewayCallId, "ended",
            newEndedReason == null || newEndedReason.isEmpty() ? endedReason : newEndedReason, report);
    }

    @Override
    public String toString() {
        return "VapiCallRecord{vapiCall=" + VapiRedaction.callIdForLog(vapiCallId) + ", call=" + gatewayCallId + ", status=" + status
            + ", endedReason=" + endedReason + ", report=" + (hasEndOfCallReport() ? endOfCallReport.length() + " chars" : "none") + "}";
    }
}
