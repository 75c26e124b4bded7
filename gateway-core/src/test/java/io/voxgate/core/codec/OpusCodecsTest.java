package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link OpusCodecs}: libopus whenever it loads, Concentus with the reason when it does not. */
class OpusCodecsTest {

    /** Where Debian, Ubuntu and Fedora put libopus0's library. */
    static boolean libopusInstalled() {
        return Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
            .anyMatch(dir -> Files.exists(Path.of(dir, "libopus.so.0")));
    }

    @Test
    void shouldFallBackToConcentusWhenLibopusIsAbsent() {
        final OpusCodecs opus = OpusCodecs.choose(() -> {
            throw new UnsatisfiedLinkError("Unable to load library 'opus': libopus.so: cannot open shared object file");
        });
        assertEquals(OpusCodecs.Implementation.CONCENTUS, opus.implementation());
        assertTrue(opus.fallbackReason().orElseThrow().contains("cannot open shared object file"), opus.fallbackReason().get());
        assertTrue(opus.allocatesPerFrame());
        assertInstanceOf(ConcentusOpusEncoder.class, opus.encoder(16_000, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false));
        assertInstanceOf(ConcentusOpusDecoder.class, opus.decoder(16_000));
    }

    @Test
    void shouldFallBackToConcentusWhenJnasDispatchLibraryCannotLoad() {
        // What JNA throws on every use after its native part failed to load (e.g. from a noexec temporary directory).
        final OpusCodecs opus = OpusCodecs.choose(() -> {
            final NoClassDefFoundError error = new NoClassDefFoundError("Could not initialize class com.sun.jna.Native");
            error.initCause(new UnsatisfiedLinkError("/tmp/jna-1/jna42.tmp: failed to map segment from shared object"));
            throw error;
        });
        assertEquals(OpusCodecs.Implementation.CONCENTUS, opus.implementation());
        final String reason = opus.fallbackReason().orElseThrow();
        assertTrue(reason.contains("com.sun.jna.Native"), reason);
        assertTrue(reason.contains("failed to map segment"), "the cause an operator can act on: " + reason);
    }

    @Test
    void shouldPickLibopusWhenItLoads() {
        assumeTrue(libopusInstalled(), "libopus0 is not installed");
        final OpusCodecs opus = OpusCodecs.choose(LibOpus::bind);
        assertEquals(OpusCodecs.Implementation.LIBOPUS, opus.implementation(), opus.fallbackReason().orElse(""));
        assertTrue(opus.description().startsWith("libopus "), opus.description());
        assertFalse(opus.allocatesPerFrame());
        assertTrue(opus.fallbackReason().isEmpty());
        assertInstanceOf(LibOpusEncoder.class, opus.encoder(16_000, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false));
        assertInstanceOf(LibOpusDecoder.class, opus.decoder(16_000));
    }

    @Test
    void shouldRunLibopusInThisProcessWhereLibopus0IsInstalled() {
        // The parameterised codec tests run libopus only when it loaded: this keeps them from losing it unnoticed.
        assumeTrue(libopusInstalled(), "libopus0 is not installed");
        assertEquals(OpusCodecs.Implementation.LIBOPUS, OpusCodecs.system().implementation(),
            OpusCodecs.system().fallbackReason().orElse(""));
    }

    @Test
    void shouldOfferConcentusWhateverTheHostHas() {
        assertEquals(OpusCodecs.Implementation.CONCENTUS, OpusCodecs.concentus().implementation());
        assertTrue(OpusCodecs.concentus().fallbackReason().isEmpty());
    }
}
