package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the certificate file watch reloads: a settled change, once per state of the files, never half-written files. */
class TlsFilesWatchTest {
    @TempDir
    Path dir;

    private final AtomicInteger reloads = new AtomicInteger();
    private volatile boolean broken;

    private TlsFilesWatch watch(final Path cert, final Path key) {
        return new TlsFilesWatch(cert, key, () -> {
            reloads.incrementAndGet();
            if (broken) {
                throw new IllegalArgumentException("--sip-tls-key is not the key of the certificate");
            }
        });
    }

    private static void touch(final Path file, final String content, final long modifiedMs) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMs));
    }

    @Test
    void shouldReloadOnceAChangeHasStayedForOneLook() throws Exception {
        final Path cert = dir.resolve("c.pem");
        final Path key = dir.resolve("k.pem");
        touch(cert, "cert-1", 1_000);
        touch(key, "key-1", 1_000);
        final TlsFilesWatch watch = watch(cert, key);
        watch.poll();
        assertEquals(0, reloads.get(), "nothing changed");
        touch(cert, "cert-2", 2_000);
        watch.poll();
        assertEquals(0, reloads.get(), "a file that just changed may still be being written");
        touch(key, "key-2", 2_000);
        watch.poll();
        assertEquals(0, reloads.get(), "the key changed since the last look: wait again");
        watch.poll();
        assertEquals(1, reloads.get(), "both files unchanged for a whole look: reloaded");
        watch.poll();
        watch.poll();
        assertEquals(1, reloads.get(), "loaded once");
    }

    @Test
    void shouldTryABrokenPairOnceAndAgainWhenTheFilesChange() throws Exception {
        final Path cert = dir.resolve("c.pem");
        final Path key = dir.resolve("k.pem");
        touch(cert, "cert-1", 1_000);
        touch(key, "key-1", 1_000);
        final TlsFilesWatch watch = watch(cert, key);
        broken = true;
        touch(cert, "cert-2", 2_000);
        watch.poll();
        watch.poll();
        watch.poll();
        watch.poll();
        assertEquals(1, reloads.get(), "a pair that does not load is tried (and reported) once");
        broken = false;
        touch(key, "key-2", 2_000);
        watch.poll();
        watch.poll();
        assertEquals(2, reloads.get(), "the missing half arrived: loaded");
    }

    @Test
    void shouldTreatAVanishedFileAsABrokenPairUntilItIsBack() throws Exception {
        final Path cert = dir.resolve("c.pem");
        final Path key = dir.resolve("k.pem");
        touch(cert, "cert-1", 1_000);
        touch(key, "key-1", 1_000);
        final TlsFilesWatch watch = watch(cert, key);
        broken = true;
        Files.delete(key);
        watch.poll();
        watch.poll();
        assertEquals(1, reloads.get());
        broken = false;
        touch(key, "key-2", 3_000);
        watch.poll();
        watch.poll();
        assertEquals(2, reloads.get(), "a key is back: loaded");
    }
}
