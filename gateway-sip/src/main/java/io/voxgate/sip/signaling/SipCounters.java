package io.voxgate.sip.signaling;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The SIP edge's refusals by {@link RejectReason}, its responses by status code and its TLS certificate reloads, for
 * {@code /metrics}.
 *
 * <p>Threading: bumped from jain-sip threads, the signalling timer threads, the transport guard and certificate
 * reloads; read at scrape time from any thread. Lock-free.
 */
public final class SipCounters {
    private static final int STATUS_CODES = 700;

    private final AtomicLongArray rejected = new AtomicLongArray(RejectReason.values().length);
    private final AtomicLongArray responses = new AtomicLongArray(STATUS_CODES);
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong tlsCertificatesLoaded = new AtomicLong();
    private final AtomicLong tlsCertificatesRefused = new AtomicLong();

    /** Zeroed counters. */
    public SipCounters() {
        // Every count starts at zero.
    }

    /** Counts one refusal. */
    void reject(final RejectReason reason) {
        rejected.incrementAndGet(reason.ordinal());
    }

    /** Counts one response sent with {@code status}. */
    void responded(final int status) {
        if (status >= 100 && status < STATUS_CODES) {
            responses.incrementAndGet(status);
        }
    }

    /** Counts one request whose handling failed inside the gateway (answered 500). */
    void failed() {
        failed.incrementAndGet();
    }

    /** Counts one TLS certificate and key reloaded (SIGHUP or the file watch). */
    void tlsCertificateLoaded() {
        tlsCertificatesLoaded.incrementAndGet();
    }

    /** Counts one reload that found the files unreadable or not a pair: the certificate in use stayed. */
    void tlsCertificateRefused() {
        tlsCertificatesRefused.incrementAndGet();
    }

    /** TLS certificates reloaded since start (the one loaded at start not included). */
    public long tlsCertificatesLoaded() {
        return tlsCertificatesLoaded.get();
    }

    /** Reloads refused since start because the new files were unreadable or not a pair. */
    public long tlsCertificatesRefused() {
        return tlsCertificatesRefused.get();
    }

    /** Requests whose handling failed inside the gateway since start. */
    public long failures() {
        return failed.get();
    }

    /** Refusals for {@code reason} since start. */
    public long rejected(final RejectReason reason) {
        return rejected.get(reason.ordinal());
    }

    /** Responses sent with {@code status} since start. */
    public long responses(final int status) {
        return status >= 100 && status < STATUS_CODES ? responses.get(status) : 0;
    }

    /** Visits every status code sent at least once, in ascending order. */
    public void forEachResponseCode(final StatusVisitor visitor) {
        for (int status = 100; status < STATUS_CODES; status++) {
            final long n = responses.get(status);
            if (n > 0) {
                visitor.visit(status, n);
            }
        }
    }

    /** Receives one status code and how often it was sent. */
    @FunctionalInterface
    public interface StatusVisitor {
        /** One status code. */
        void visit(int status, long count);
    }
}
