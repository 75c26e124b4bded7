package io.voxgate.sip.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads SDP fixture files from the test resources. */
final class SdpFixtures {
    private SdpFixtures() {
    }

    static String load(final String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
