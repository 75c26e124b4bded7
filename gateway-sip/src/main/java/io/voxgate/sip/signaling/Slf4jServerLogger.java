package io.voxgate.sip.signaling;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes jain-sip's message trace to slf4j at TRACE (logger {@code io.voxgate.sip.signaling.messages}),
 * first line only: full messages carry Authorization headers, which must never reach logs. When the stack mirrors
 * its messages (HEP), each one is also handed to the stack's {@link SipMessageCapture}.
 *
 * <p>jain-sip instantiates it by class name (stack property {@code gov.nist.javax.sip.SERVER_LOGGER}).
 * Threading: safe on any thread.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger LOG = LoggerFactory.getLogger("io.voxgate.sip.signaling.messages");

    private volatile SipMessageCapture capture;

    /** Created by jain-sip. */
    public Slf4jServerLogger() {
        // Nothing to set up: slf4j is configured by the launcher.
    }

    @Override
    public void closeLogFile() {
        // No file is kept.
    }

    @Override
    public void logMessage(final SIPMessage message, final String from, final String to, final boolean sender, final long time) {
        trace(message, from, to, sender, time);
    }

    @Override
    public void logMessage(final SIPMessage message, final String from, final String to, final String status,
                           final boolean sender, final long time) {
        trace(message, from, to, sender, time);
    }

    @Override
    public void logMessage(final SIPMessage message, final String from, final String to, final String status,
                           final boolean sender) {
        // Not called by the jain-sip we ship (every message it traces comes with its time); the trace's own time then.
        trace(message, from, to, sender, System.currentTimeMillis());
    }

    /** {@code time}: jain-sip's epoch milliseconds of the event, the arrival or the start of the send. */
    private void trace(final SIPMessage message, final String from, final String to, final boolean sender, final long time) {
        final SipMessageCapture c = capture;
        if (c != null) {
            c.capture(message, from, to, time);
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}: {} (Call-ID {})", sender ? "sent" : "received", from, to, message.getFirstLine().trim(),
                message.getCallId() == null ? "-" : message.getCallId().getCallId());
        }
    }

    @Override
    public void logException(final Exception ex) {
        LOG.debug("jain-sip message exception", ex);
    }

    @Override
    public void setStackProperties(final Properties stackProperties) {
        // Configuration comes from slf4j, not from stack properties.
    }

    @Override
    public void setSipStack(final SipStack sipStack) {
        capture = SipMessageCapture.forStack(((SipStackImpl) sipStack).getStackName());
    }
}
