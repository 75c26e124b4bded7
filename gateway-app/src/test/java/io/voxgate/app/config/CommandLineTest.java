package io.voxgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.metrics.BuildInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void shouldReadTheCommandAndTypedOptions() {
        final CommandLine cli = CommandLine.parse("run", "--http-port", "9000", "--agent=echo");
        assertEquals("run", cli.command());
        assertEquals("9000", cli.flags().get(GatewayOption.HTTP_PORT));
        assertEquals("echo", cli.flags().get(GatewayOption.AGENT));
        assertEquals(2, cli.flags().size());
    }

    @Test
    void shouldTreatABareBooleanFlagAsTrue() {
        assertEquals("true", CommandLine.parse("run", "--insecure-no-signature").flags().get(GatewayOption.INSECURE_NO_SIGNATURE));
    }

    @Test
    void shouldReadTheConfigFile() {
        assertEquals(Path.of("gw.properties"), CommandLine.parse("run", "--config", "gw.properties").configFile());
    }

    @Test
    void shouldNameAnUnknownOption() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse("run", "--http-prot", "1"));
        assertTrue(ex.getMessage().contains("--http-prot"), ex.getMessage());
    }

    @Test
    void shouldNameAnUnknownCommand() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("serve"));
        assertTrue(ex.getMessage().contains("serve"), ex.getMessage());
    }

    @Test
    void shouldOfferHelpListingEveryOption() {
        final CommandLine cli = CommandLine.parse("--help");
        assertTrue(cli.helpRequested());
        for (final GatewayOption option : GatewayOption.values()) {
            assertTrue(cli.usage().contains(option.flag()), option.flag());
        }
    }

    @Test
    void shouldCollectARepeatedRequireHeaderFlag() {
        final CommandLine cli = CommandLine.parse("run", "--sip-require-header", "X-Twilio-AccountSid=AC1",
            "--sip-require-header", "X-Secret=s3");
        assertEquals("X-Twilio-AccountSid=AC1,X-Secret=s3", cli.flags().get(GatewayOption.SIP_REQUIRE_HEADER));
        final GatewayConfig config = GatewayConfig.load(cli.flags(), null, java.util.Map.of());
        assertEquals(java.util.Map.of("X-Twilio-AccountSid", "AC1", "X-Secret", "s3"), config.sipRequiredHeaders());
    }

    @Test
    void shouldRefuseARequireHeaderWithoutAValue() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.load(
            CommandLine.parse("run", "--sip-require-header", "X-Secret=").flags(), null, java.util.Map.of()));
        assertTrue(ex.getMessage().startsWith("--sip-require-header"), ex.getMessage());
    }

    @Test
    void shouldRefuseADigestUserWithoutItsPassword() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.load(
            CommandLine.parse("run", "--sip-digest-user", "trunk").flags(), null, java.util.Map.of()));
        assertTrue(ex.getMessage().contains("VOXGATE_SIP_DIGEST_PASSWORD"), ex.getMessage());
    }

    @Test
    void shouldTakeOptionsBeforeTheCommandAsWellAsAfterIt() {
        final CommandLine cli = CommandLine.parse("--http-port=1", "demo");
        assertEquals("demo", cli.command());
        assertEquals("1", cli.flags().get(GatewayOption.HTTP_PORT));
    }

    @Test
    void shouldLetTheCommandsOwnOptionWinOverTheTopLevels() {
        assertEquals("2", CommandLine.parse("--http-port", "1", "run", "--http-port", "2").flags().get(GatewayOption.HTTP_PORT));
    }

    @Test
    void shouldNotTakeTheCommandForABareBooleansValue() {
        final CommandLine cli = CommandLine.parse("--insecure-no-signature", "run");
        assertEquals("run", cli.command());
        assertEquals("true", cli.flags().get(GatewayOption.INSECURE_NO_SIGNATURE));
    }

    @Test
    void shouldRefuseOptionsWithoutACommand() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse("--http-port", "1"));
        assertTrue(ex.getMessage().contains("run, demo"), ex.getMessage());
    }

    @Test
    void shouldReportTheVersionAndCommitFromTheBuildInfo() {
        assertTrue(CommandLine.parse("--version").versionRequested());
        assertTrue(CommandLine.version().startsWith("voxgate " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")"),
            CommandLine.version());
    }

    @Test
    void shouldShowTypedPlaceholdersTheSecretVariablesAndExamplesInHelp() {
        final String usage = CommandLine.parse("--help").usage();
        for (final String text : List.of("--http-port=PORT", "--bind=ADDR", "--public-url=URL", "--cdr-file=PATH",
            "--barge-in-confirm-ms=MS", "--trust-proxy=CIDR", "--media-timeout=SECONDS", "--max-calls=N",
            "--hep-url=udp://HOST:PORT", "--agent=echo|parrot|vapi", "Examples:", "voxgate --http-port=0 demo")) {
            assertTrue(usage.contains(text), text + " in\n" + usage);
        }
        for (final String variable : Secrets.VARIABLES.keySet()) {
            assertTrue(usage.contains(variable), variable);
        }
        assertFalse(usage.replace("NAME=VALUE", "").contains("=VALUE"), "every option says what its value is:\n" + usage);
    }

    @Test
    void shouldShowACommandsOwnHelp() {
        final CommandLine cli = CommandLine.parse("run", "--help");
        assertTrue(cli.helpRequested());
        assertTrue(cli.usage().contains("Serve calls until SIGTERM"), cli.usage());
        assertTrue(cli.usage().contains("--sip-port=PORT"), cli.usage());
    }
}
