package io.voxgate.sip.signaling;

import java.text.ParseException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * RFC 4028 session timers for the gateway as UAS: what an INVITE asks for, what the 2xx says back, and when the
 * gateway next refreshes (re-INVITE at half the interval) or gives up on a silent refresher (min(32 s, interval/3)
 * before expiry, RFC 4028 §10).
 *
 * <p>The deadline arithmetic is pure ({@link #delayMs}); the scheduling runs on the signalling timer threads.
 * Threading: {@link #apply}, {@link #refreshedBy} and {@link #schedule} are called holding the call's monitor.
 */
final class SessionTimer {
    /** RFC 4028 §4 recommended minimum session interval. */
    static final int MIN_SESSION_EXPIRES_S = 90;

    private final HeaderFactory headers;
    private final ScheduledExecutorService timers;
    /** The unit of one session-timer millisecond: real milliseconds, or microseconds in tests (1000 times faster). */
    private final TimeUnit milliUnit;
    private final Consumer<DialogCall> refresh;
    private final Consumer<DialogCall> expire;

    SessionTimer(final HeaderFactory headers, final ScheduledExecutorService timers, final TimeUnit milliUnit,
                 final Consumer<DialogCall> refresh, final Consumer<DialogCall> expire) {
        this.headers = headers;
        this.timers = timers;
        this.milliUnit = milliUnit;
        this.refresh = refresh;
        this.expire = expire;
    }

    /** The session timer an INVITE, re-INVITE or UPDATE asks for, or null. */
    static SessionTimerRequest requestedBy(final Request request) {
        return SessionTimerRequest.of(SipRequests.headerValue(request, "Session-Expires", "x"),
            SipRequests.supports(request, "timer"));
    }

    /**
     * How long after a (re)start the gateway acts: refresh at half the interval when it refreshes, else end the
     * session min(32 s, interval/3) before it expires.
     */
    static long delayMs(final int intervalS, final boolean uasRefreshes) {
        if (uasRefreshes) {
            return intervalS * 500L;
        }
        return (intervalS - Math.min(32, intervalS / 3)) * 1000L;
    }

    /** Takes on the interval and refresher of a re-INVITE or UPDATE (RFC 4028 §9). */
    static void refreshedBy(final DialogCall call, final Request request) {
        final SessionTimerRequest timer = requestedBy(request);
        if (timer != null && timer.intervalS >= MIN_SESSION_EXPIRES_S) {
            call.sessionIntervalS = timer.intervalS;
            call.peerSupportsTimer = timer.peerSupportsTimer;
            call.uasRefreshes = timer.uasRefreshes;
        }
    }

    /**
     * RFC 4028 §9: echo Session-Expires with the refresher in the 2xx; {@code Require: timer} only when the
     * caller said it supports timers.
     */
    void apply(final DialogCall call, final Response ok) throws ParseException {
        if (call.sessionIntervalS <= 0) {
            return;
        }
        ok.addHeader(headers.createHeader("Session-Expires", call.sessionIntervalS + ";refresher="
            + (call.uasRefreshes ? "uas" : "uac")));
        if (call.peerSupportsTimer) {
            ok.addHeader(headers.createRequireHeader("timer"));
        }
    }

    /** (Re)starts the call's timer after a 2xx to an INVITE, re-INVITE or UPDATE. */
    void schedule(final DialogCall call) {
        if (call.sessionTimer != null) {
            call.sessionTimer.cancel(false);
            call.sessionTimer = null;
        }
        if (call.sessionIntervalS <= 0) {
            return;
        }
        final Consumer<DialogCall> action = call.uasRefreshes ? refresh : expire;
        call.sessionTimer = timers.schedule(() -> action.accept(call), delayMs(call.sessionIntervalS, call.uasRefreshes),
            milliUnit);
    }
}
