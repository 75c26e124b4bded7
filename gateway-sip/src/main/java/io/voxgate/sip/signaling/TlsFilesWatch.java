package io.voxgate.sip.signaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the SIP TLS certificate when its files change on disk, without SIGHUP (a renewal by certbot, cert-manager or
 * an operator's copy). Polled: each {@link #poll} compares the certificate and key files' modification time, size and
 * file key (inode; a rename or a symlink moved to a new target changes it) with what was last loaded. A change is
 * acted on once both files have stayed the same for a whole poll interval, so a pair still being written is never
 * read half-way; then the pair is loaded only if both files read and the key is the certificate's, and applies to new
 * handshakes only. A pair that does not load keeps the certificate in use: logged and counted once per state of the
 * files, tried again when either changes. A polling look rather than a {@code WatchService}: it follows symlinks
 * (certbot's {@code live/} directory) and costs two {@code stat}s per interval.
 *
 * <p>Threading: {@link #poll} runs on a signalling timer thread, one poll at a time (never a media loop); not shared.
 */
final class TlsFilesWatch {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFilesWatch.class);

    /** Loads the pair or throws naming what is wrong; the certificate in use stays on a throw. */
    @FunctionalInterface
    interface Reload {
        /** Reads both files and presents them from the next handshake. */
        void reload();
    }

    private final Path certificate;
    private final Path privateKey;
    private final Reload reload;
    private Snapshot loaded;
    private Snapshot seen;
    private Snapshot refused;

    /** A watch whose baseline is the files as they are now (the pair loaded at start). */
    TlsFilesWatch(final Path certificate, final Path privateKey, final Reload reload) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.reload = reload;
        this.loaded = snapshot();
        this.seen = loaded;
    }

    /** One look at the files; reloads when a settled change is there. */
    void poll() {
        final Snapshot now = snapshot();
        final Snapshot before = seen;
        seen = now;
        if (now.equals(loaded) || !now.equals(before) || now.equals(refused)) {
            // Unchanged, still changing (wait a round for the writer to finish), or already refused as it is.
            return;
        }
        try {
            reload.reload();
            loaded = now;
            refused = null;
            LOG.info("SIP TLS certificate reloaded after {} changed on disk", certificate);
        } catch (final IllegalArgumentException | IllegalStateException ex) {
            refused = now;
            LOG.warn("SIP TLS certificate files changed but do not load as a pair, the certificate in use stays: {}",
                ex.getMessage());
        }
    }

    private Snapshot snapshot() {
        return new Snapshot(state(certificate), state(privateKey));
    }

    /** Modification time, size and file key of {@code file} (links followed), or a marker when it cannot be read. */
    private static String state(final Path file) {
        try {
            final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
        } catch (final IOException ex) {
            return "unreadable: " + ex.getClass().getSimpleName();
        }
    }

    /** The two files' states at one look. */
    private record Snapshot(String certificate, String privateKey) {
    }
}
