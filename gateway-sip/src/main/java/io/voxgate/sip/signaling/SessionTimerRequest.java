package io.voxgate.sip.signaling;

import java.util.Locale;

/**
 * The Session-Expires of a request, parsed (RFC 4028 §4), with who refreshes as RFC 4028 §9 settles it.
 *
 * <p>Immutable; safe on any thread.
 */
final class SessionTimerRequest {
    final int intervalS;
    final boolean uasRefreshes;
    final boolean peerSupportsTimer;

    private SessionTimerRequest(final int intervalS, final boolean uasRefreshes, final boolean peerSupportsTimer) {
        this.intervalS = intervalS;
        this.uasRefreshes = uasRefreshes;
        this.peerSupportsTimer = peerSupportsTimer;
    }

    /** Parses {@code 1800;refresher=uac}; null when absent or unparseable. */
    static SessionTimerRequest of(final String value, final boolean peerSupportsTimer) {
        if (value == null) {
            return null;
        }
        final String[] parts = value.split(";");
        final int interval;
        try {
            interval = Integer.parseInt(parts[0].trim());
        } catch (final NumberFormatException ex) {
            return null;
        }
        String refresher = null;
        for (int i = 1; i < parts.length; i++) {
            final String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("refresher=")) {
                refresher = p.substring("refresher=".length()).trim();
            }
        }
        // RFC 4028 §9: without the caller's support the gateway must refresh; otherwise honour its choice.
        final boolean uas = !peerSupportsTimer || "uas".equals(refresher);
        return new SessionTimerRequest(interval, uas, peerSupportsTimer);
    }
}
