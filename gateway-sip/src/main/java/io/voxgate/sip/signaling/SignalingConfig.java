package io.voxgate.sip.signaling;

import java.nio.file.Path;
import java.util.List;

/**
 * What the signalling layer needs to listen and decide, already validated by the edge's configuration.
 *
 * <p>Immutable; safe on any thread. Holds the digest password and the key store password: never log it
 * whole ({@link #toString()} leaves them out).
 */
public final class SignalingConfig {
    final String bindAddress;
    final int sipPort;
    final List<String> transports;
    final int tlsPort;
    final Path tlsKeyStore;
    final char[] tlsKeyStorePassword;
    final String externalAddress;
    final SourceAllowList allowList;
    final String digestRealm;
    final String digestUser;
    final String digestPassword;
    final long answerDelayMs;
    final int retryAfterSeconds;
    final int threadPoolSize;
    final SignalingPolicy policy;
    final SipMessageMirror mirror;

    /**
     * Signalling settings.
     *
     * @param bindAddress         address the listeners bind to
     * @param sipPort             UDP/TCP port
     * @param transports          subset of {@code udp}, {@code tcp}, {@code tls}
     * @param tlsPort             TLS port when {@code tls} is listed
     * @param tlsKeyStore         PKCS#12 key store for TLS, or {@code null}
     * @param tlsKeyStorePassword its password, or {@code null}
     * @param externalAddress     address for SDP and Contact, or {@code null} for the local one
     * @param allowList           sources that may signal
     * @param digestRealm         digest realm, or {@code null} to disable digest authentication
     * @param digestUser          digest user name
     * @param digestPassword      digest password (secret)
     * @param answerDelayMs       ringing time before answering (0 answers at once)
     * @param retryAfterSeconds   Retry-After on 503
     * @param threadPoolSize      jain-sip message processing threads
     */
    public SignalingConfig(final String bindAddress, final int sipPort, final List<String> transports, final int tlsPort,
                           final Path tlsKeyStore, final char[] tlsKeyStorePassword, final String externalAddress,
                           final SourceAllowList allowList, final String digestRealm, final String digestUser,
                           final String digestPassword, final long answerDelayMs, final int retryAfterSeconds,
                           final int threadPoolSize) {
        this(bindAddress, sipPort, transports, tlsPort, tlsKeyStore, tlsKeyStorePassword, externalAddress, allowList, digestRealm,
            digestUser, digestPassword, answerDelayMs, retryAfterSeconds, threadPoolSize, SignalingPolicy.defaults());
    }

    /** As above, with a {@link SignalingPolicy} other than the defaults. */
    public SignalingConfig(final String bindAddress, final int sipPort, final List<String> transports, final int tlsPort,
                           final Path tlsKeyStore, final char[] tlsKeyStorePassword, final String externalAddress,
                           final SourceAllowList allowList, final String digestRealm, final String digestUser,
                           final String digestPassword, final long answerDelayMs, final int retryAfterSeconds,
                           final int threadPoolSize, final SignalingPolicy policy) {
        this(bindAddress, sipPort, transports, tlsPort, tlsKeyStore, tlsKeyStorePassword, externalAddress, allowList, digestRealm,
            digestUser, digestPassword, answerDelayMs, retryAfterSeconds, threadPoolSize, policy, SipMessageMirror.NONE);
    }

    /** As above, with every message the stack sends or receives copied to {@code mirror} (HEP capture). */
    public SignalingConfig(final String bindAddress, final int sipPort, final List<String> transports, final int tlsPort,
                           final Path tlsKeyStore, final char[] tlsKeyStorePassword, final String externalAddress,
                           final SourceAllowList allowList, final String digestRealm, final String digestUser,
                           final String digestPassword, final long answerDelayMs, final int retryAfterSeconds,
                           final int threadPoolSize, final SignalingPolicy policy, final SipMessageMirror mirror) {
        this.mirror = mirror;
        this.bindAddress = bindAddress;
        this.sipPort = sipPort;
        this.transports = List.copyOf(transports);
        this.tlsPort = tlsPort;
        this.tlsKeyStore = tlsKeyStore;
        this.tlsKeyStorePassword = tlsKeyStorePassword == null ? null : tlsKeyStorePassword.clone();
        this.externalAddress = externalAddress;
        this.allowList = allowList;
        this.digestRealm = digestRealm;
        this.digestUser = digestUser;
        this.digestPassword = digestPassword;
        this.answerDelayMs = answerDelayMs;
        this.retryAfterSeconds = retryAfterSeconds;
        this.threadPoolSize = threadPoolSize;
        this.policy = policy;
    }

    @Override
    public String toString() {
        return "bind=" + bindAddress + " port=" + sipPort + " transports=" + transports + " tlsPort=" + tlsPort
            + " external=" + externalAddress + " allow=" + allowList + " digest=" + (digestRealm == null ? "off" : "realm " + digestRealm)
            + " " + policy;
    }
}
