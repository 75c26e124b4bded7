package io.voxgate.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Switches Logback between the text layout of {@code logback.xml} and one JSON object per line
 * ({@code --log-format json}), which carries the MDC (the call id) as a field.
 *
 * <p>Threading: call from the control thread at startup and shutdown only.
 */
final class LogFormat {
    private LogFormat() {
    }

    static void apply(final String format) {
        if (!"json".equals(format) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        final JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDOUT_JSON");
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
    }

    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
    }
}
