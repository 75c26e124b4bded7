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
}
