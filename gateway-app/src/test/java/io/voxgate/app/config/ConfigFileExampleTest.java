package io.voxgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigFileExampleTest {
    /** The example shipped in the tarball; run this test with -Dvoxgate.example.write=true to rewrite it. */
    private static final Path SHIPPED = Path.of("src/dist/etc/voxgate.properties.example");

    @Test
    void shouldShipTheExampleRenderedFromTheOptionTable() throws IOException {
        if (Boolean.getBoolean("voxgate.example.write")) {
            Files.writeString(SHIPPED, ConfigFileExample.render(), StandardCharsets.UTF_8);
        }
        assertEquals(ConfigFileExample.render(), Files.readString(SHIPPED, StandardCharsets.UTF_8),
            SHIPPED + " is out of date: rerun this test with -Dvoxgate.example.write=true");
    }

    @Test
    void shouldListEveryOptionAndEverySecret() {
        final String text = ConfigFileExample.render();
        for (final GatewayOption option : GatewayOption.values()) {
            assertTrue(text.contains("\n#" + option.key() + " ="), option.key());
        }
        for (final String secret : new String[] {Secrets.TWILIO_AUTH_TOKEN, Secrets.VAPI_API_KEY, Secrets.VAPI_ASSISTANT_ID,
            Secrets.VAPI_WEBHOOK_SECRET, Secrets.VOXGATE_TOKEN_SECRET, Secrets.VOXGATE_SIP_DIGEST_PASSWORD,
            Secrets.VOXGATE_ADMIN_TOKEN}) {
            assertTrue(text.contains(secret), secret);
        }
    }

    @Test
    void shouldLoadAsTheDefaultsOnceAnOptionIsUncommented() throws IOException {
        final String uncommented = ConfigFileExample.render().replace("\n#http-port = 8080", "\nhttp-port = 8080");
        final Path file = Files.createTempFile("voxgate", ".properties");
        try {
            Files.writeString(file, uncommented, StandardCharsets.UTF_8);
            final Properties read = new Properties();
            try (var reader = Files.newBufferedReader(file)) {
                read.load(reader);
            }
            assertEquals(Map.of("http-port", "8080"), Map.copyOf(read));
            assertEquals(8080, GatewayConfig.load(Map.of(), file, Map.of()).httpPort());
        } finally {
            Files.delete(file);
        }
    }
}
