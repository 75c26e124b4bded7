package io.voxgate.websocket.twilio;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Logs a line about one call with its CallSid in the MDC under {@value #MDC_KEY}, which the launcher's log layout
 * prints on every line. Secrets (auth token, call token, signatures) are never passed here.
 *
 * <p>Stateless; safe on any thread (the MDC is per thread and restored after each line).
 */
public final class CallLog {
    /** The MDC key the launcher's layout prints. */
    public static final String MDC_KEY = "callId";

    private CallLog() {
    }

    /** Logs {@code format} at info level with {@code callSid} in the MDC. */
    public static void info(final Logger log, final String callSid, final String format, final Object... args) {
        if (log.isInfoEnabled()) {
            final String previous = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, callSid);
            try {
                log.info(format, args);
            } finally {
                restore(previous);
            }
        }
    }

    /** Logs {@code format} at warning level with {@code callSid} in the MDC. */
    public static void warn(final Logger log, final String callSid, final String format, final Object... args) {
        if (log.isWarnEnabled()) {
            final String previous = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, callSid);
            try {
                log.warn(format, args);
            } finally {
                restore(previous);
            }
        }
    }

    /** Logs {@code message} and {@code cause} at error level with {@code callSid} in the MDC. */
    public static void error(final Logger log, final String callSid, final String message, final Throwable cause) {
        final String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, callSid);
        try {
            log.error(message, cause);
        } finally {
            restore(previous);
        }
    }

    private static void restore(final String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }
}
