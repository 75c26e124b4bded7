package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * docs/vapi.md: the Vapi API key and the call's socket URL (a bearer secret: it alone joins the call) never reach
 * the logs, at any level, over a whole call (a greeting, the caller talking over it) from start-up to shut-down.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SecretsInLogsIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void shouldNeverLogTheVapiSocketUrlOrTheApiKey() throws Exception {
        final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final Level previousLevel = root.getLevel();
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        final String apiKey;
        final String socketUrl;
        final String vapiCallId;
        final String callSid;
        try {
            try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.speakThenListen()).start()) {
                apiKey = rig.apiKey;
                final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.tone(440, 600, 8_000)).listenAfterMs(300).build();
                callSid = plan.callSid();
                final SimulatedCallResult result = rig.call(plan);
                final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);
                assertTrue(result.ok(), result::toString);
                assertNotNull(vapi);
                assertTrue(vapi.awaitSocketClosed(WAIT), vapi::toString);
                rig.awaitEnded(callSid);
                vapiCallId = vapi.id();
                socketUrl = rig.standIn.apiUrl().replace("http://", "ws://") + "/" + vapi.id() + "/transport";
            }
        } finally {
            root.detachAppender(appender);
            root.setLevel(previousLevel);
            appender.stop();
        }
        final List<String> lines = lines(appender);
        assertTrue(lines.stream().anyMatch(line -> line.contains(callSid)), "the call was not logged at all: " + lines);
        for (final String line : lines) {
            assertTrue(!line.contains(apiKey), () -> "API key logged: " + line);
            assertTrue(!line.contains(socketUrl), () -> "socket URL logged: " + line);
            // The URL's path is the whole Vapi call id; logs carry only its first 8 characters.
            assertTrue(!line.contains(vapiCallId), () -> "whole Vapi call id (the socket URL's path) logged: " + line);
        }
    }

    /** Every captured event: logger, formatted message, and each throwable's class and message down the cause chain. */
    private static List<String> lines(final ListAppender<ILoggingEvent> appender) {
        final List<String> out = new ArrayList<>();
        for (final ILoggingEvent event : appender.list) {
            final StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
                .append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            out.add(line.toString());
        }
        return out;
    }
}
