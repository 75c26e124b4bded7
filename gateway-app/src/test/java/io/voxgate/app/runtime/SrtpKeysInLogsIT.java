package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * docs/operations.md (Twilio Secure Trunking): SDES keys, the caller's and the gateway's own, never reach the logs,
 * even with every logger at TRACE (jain-sip's included), over an SRTP call from start-up to shut-down.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SrtpKeysInLogsIT {
    private static final Pattern INLINE_KEY = Pattern.compile("inline:([A-Za-z0-9+/]{38}==|[A-Za-z0-9+/]{40})");

    @Test
    void shouldNeverLogAnSdesKeyAtTrace() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final byte[] keyAndSalt = new byte[30];
        new SecureRandom().nextBytes(keyAndSalt);
        final String callerKey = Base64.getEncoder().encodeToString(keyAndSalt);
        final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final Level previousLevel = root.getLevel();
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        final Sipp.Result call;
        try {
            final int sipPort = FreePorts.udpAndTcp();
            final int rtp = FreePorts.rtpPair();
            final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
            flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
            flags.put(GatewayOption.ADMIN_PORT, "0");
            flags.put(GatewayOption.BIND, "127.0.0.1");
            flags.put(GatewayOption.AGENT, "echo");
            flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
            flags.put(GatewayOption.SIP_TRANSPORT, "udp");
            flags.put(GatewayOption.RTP_PORTS, rtp + "-" + (rtp + 1));
            final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, "srtp-logs-token");
            final Gateway gateway = Gateway.start(GatewayConfig.load(flags, null, env), "https://voice.example.test",
                Secrets.fromEnvironment(env));
            try {
                call = Sipp.scenario("uac-savp.xml", sipPort).key("rtpport", Integer.toString(FreePorts.rtpPair()))
                    .key("crypto", callerKey).pauseMs(500).run();
                assertEquals(0, call.exitCode, call.describe());
            } finally {
                gateway.close();
            }
        } finally {
            root.detachAppender(appender);
            root.setLevel(previousLevel);
            appender.stop();
        }
        String gatewayKey = null;
        final Matcher m = INLINE_KEY.matcher(call.messages);
        while (m.find()) {
            if (!m.group(1).equals(callerKey)) {
                gatewayKey = m.group(1);
            }
        }
        assertNotNull(gatewayKey, "the 200 OK carries the gateway's key");
        final List<String> lines = lines(appender);
        assertTrue(lines.stream().anyMatch(line -> line.contains("srtp=AES_CM_128_HMAC_SHA1_80")), "the SRTP call was not logged");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("io.voxgate.sip.signaling.jainsip")),
            "jain-sip's own logging was not captured at TRACE");
        for (final String line : lines) {
            assertTrue(!line.contains(callerKey), () -> "caller's SDES key logged: " + line);
            assertTrue(!line.contains(gatewayKey.substring(0, 24)), () -> "gateway's SDES key logged: " + line);
        }
    }

    private static List<String> lines(final ListAppender<ILoggingEvent> appender) {
        final List<String> out = new ArrayList<>();
        synchronized (appender) {
            for (final ILoggingEvent event : new ArrayList<>(appender.list)) {
                final StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                out.add(line.toString());
            }
        }
        return out;
    }
}
