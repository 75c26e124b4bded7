package io.voxgate.sip.signaling;

import gov.nist.core.StackLogger;
import io.voxgate.sip.srtp.SdesCryptoAttribute;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes jain-sip's internal logging to slf4j (logger {@code io.voxgate.sip.signaling.jainsip}), so the stack
 * never needs log4j and its verbosity is set like every other logger. Its debug output may quote whole messages, so SDES
 * keys ({@code a=crypto ... inline:}) are redacted from every line.
 *
 * <p>jain-sip hands each message to its server logger ({@link Slf4jServerLogger}) only while this logger says
 * {@code TRACE_MESSAGES} is enabled, a level jain-sip shares with INFO. So while the stack mirrors its messages
 * (HEP capture, {@link SipMessageCapture}) that level is reported enabled whatever slf4j's level is; the stack's INFO
 * lines still go through slf4j's level check and are dropped there, at the price of building them.
 *
 * <p>jain-sip instantiates it by class name (stack property {@code gov.nist.javax.sip.STACK_LOGGER}) through
 * its public no-argument constructor. Threading: set up by jain-sip before use; then read-only and safe on any thread.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("io.voxgate.sip.signaling.jainsip");

    private volatile boolean capturing;

    /** Created by jain-sip. */
    public Slf4jStackLogger() {
        // Nothing to set up: slf4j is configured by the launcher.
    }

    @Override
    public void logStackTrace() {
        // Stack dumps of the caller are noise in production logs.
    }

    @Override
    public void logStackTrace(final int traceLevel) {
        // Stack dumps of the caller are noise in production logs.
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(final Throwable ex) {
        LOG.warn("jain-sip exception", ex);
    }

    @Override
    public void logDebug(final String message) {
        LOG.debug(SdesCryptoAttribute.redact(message));
    }

    @Override
    public void logDebug(final String message, final Exception ex) {
        LOG.debug(SdesCryptoAttribute.redact(message), ex);
    }

    @Override
    public void logTrace(final String message) {
        LOG.trace(SdesCryptoAttribute.redact(message));
    }

    @Override
    public void logFatalError(final String message) {
        LOG.error(SdesCryptoAttribute.redact(message));
    }

    @Override
    public void logError(final String message) {
        LOG.error(SdesCryptoAttribute.redact(message));
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(final int logLevel) {
        if (logLevel == TRACE_MESSAGES && capturing) {
            return true;
        }
        if (logLevel >= TRACE_TRACE) {
            return LOG.isTraceEnabled();
        }
        if (logLevel >= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        }
        if (logLevel >= TRACE_INFO) {
            return LOG.isInfoEnabled();
        }
        if (logLevel >= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return LOG.isErrorEnabled();
    }

    @Override
    public void logError(final String message, final Exception ex) {
        LOG.error(SdesCryptoAttribute.redact(message), ex);
    }

    @Override
    public void logWarning(final String message) {
        LOG.warn(SdesCryptoAttribute.redact(message));
    }

    @Override
    public void logInfo(final String message) {
        LOG.info(SdesCryptoAttribute.redact(message));
    }

    @Override
    public void disableLogging() {
        // Levels belong to the slf4j configuration.
    }

    @Override
    public void enableLogging() {
        // Levels belong to the slf4j configuration.
    }

    @Override
    public void setBuildTimeStamp(final String buildTimeStamp) {
        LOG.debug("jain-sip build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(final Properties stackProperties) {
        // Verbosity comes from slf4j; the stack name says only whether this stack's messages are captured.
        final String stackName = stackProperties.getProperty("javax.sip.STACK_NAME");
        capturing = stackName != null && SipMessageCapture.forStack(stackName) != null;
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
