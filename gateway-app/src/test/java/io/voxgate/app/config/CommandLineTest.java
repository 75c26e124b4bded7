package io.voxgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
