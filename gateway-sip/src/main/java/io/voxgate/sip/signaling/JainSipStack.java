package io.voxgate.sip.signaling;

import java.text.ParseException;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * The jain-sip stack and its transports: the stack properties (threads, message size, NIO processors, TLS), one
 * listening point per configured transport, and the provider the listener is attached to.
 *
 * <p>Threading: {@link #start} and {@link #stop} are called once each by {@link SipSignaling} under its lock; the
 * factories and the provider are safe on any thread.
 */
final class JainSipStack {
    /** Largest SIP message accepted over TCP/TLS, enforced by the guarded channels ({@link SipStreamFramer}). */
    static final int MAX_MESSAGE_SIZE = 65_536;
    /**
     * jain-sip's own stream limit, a backstop behind {@link #MAX_MESSAGE_SIZE}: it counts one byte more per read (and
     * keep-alives), so at the same value it could close a connection first, uncounted.
     */
    private static final int JAIN_SIP_MESSAGE_SIZE = 2 * MAX_MESSAGE_SIZE;
    /**
     * How long a connection the gateway opens (a BYE, REFER or answer towards a peer reachable only by a new TCP or
     * TLS connection) may take to connect. jain-sip connects blocking, on the thread that sends, for 10 s by default,
     * and tries twice; 4 s lets Linux send the SYN three times (at 0, 1 and 3 s), and a peer that has answered none
     * of them is down. A peer that drops SYNs so holds the sending thread for 8 s instead of 20.
     */
    static final int OUTGOING_CONNECT_TIMEOUT_MS = 4_000;
    /** SIP over TLS cipher suites: forward secret, supported by JDK 17 through 25. */
    private static final String[] TLS_CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    };
    private static final AtomicInteger STACK_SEQUENCE = new AtomicInteger();

    private final SignalingConfig config;
    private final SourceGate gate;
    private final ReloadableKeyManager tlsKeys = new ReloadableKeyManager();
    private final String name = "voxgate-sip-" + STACK_SEQUENCE.incrementAndGet();
    private SipStack stack;
    private SipProvider provider;
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;

    JainSipStack(final SignalingConfig config, final SourceGate gate) {
        this.config = config;
        this.gate = gate;
    }

    /**
     * Creates the stack, listens on every transport and attaches {@code listener}.
     *
     * @throws IllegalStateException naming the option when a listener cannot be created
     */
    void start(final SipListener listener) {
        final SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            messages = factory.createMessageFactory();
            headers = factory.createHeaderFactory();
            addresses = factory.createAddressFactory();
            SourceGate.register(name, gate);
            ReloadableKeyManager.register(name, tlsKeys);
            if (config.mirror != SipMessageMirror.NONE) {
                SipMessageCapture.register(name, new SipMessageCapture(config.mirror,
                    SipMessageCapture.wildcardStandIn(config.externalAddress)));
            }
            stack = factory.createSipStack(properties());
        } catch (final PeerUnavailableException ex) {
            SourceGate.unregister(name);
            ReloadableKeyManager.unregister(name);
            SipMessageCapture.unregister(name);
            throw new IllegalStateException("cannot create the jain-sip stack: " + ex.getMessage(), ex);
        }
        try {
            for (final String transport : config.transports) {
                final int port = "tls".equals(transport) ? config.tlsPort : config.sipPort;
                final ListeningPoint lp;
                try {
                    lp = stack.createListeningPoint(config.bindAddress, port, transport);
                } catch (final InvalidArgumentException | TransportNotSupportedException ex) {
                    throw new IllegalStateException(("tls".equals(transport) ? "--sip-tls-port " : "--sip-port ") + port
                        + " on --bind " + config.bindAddress + " (" + transport + ") cannot listen: " + ex.getMessage(), ex);
                }
                if (config.externalAddress != null) {
                    lp.setSentBy(config.externalAddress + ":" + port);
                }
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            provider.addSipListener(listener);
            stack.start();
        } catch (final ObjectInUseException | TooManyListenersException | ParseException ex) {
            stop(listener);
            throw new IllegalStateException("cannot start SIP listeners: " + ex.getMessage(), ex);
        } catch (final SipException ex) {
            stop(listener);
            throw new IllegalStateException("cannot start SIP listeners on --sip-port " + config.sipPort + ": " + ex.getMessage(), ex);
        } catch (final IllegalStateException ex) {
            stop(listener);
            throw ex;
        }
    }

    private Properties properties() {
        final Properties p = new Properties();
        // SipFactory keeps every stack by name for the life of the JVM; a unique name per edge keeps stacks apart.
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(config.threadPoolSize));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(JAIN_SIP_MESSAGE_SIZE));
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CONNECTION_TIMEOUT", Integer.toString(OUTGOING_CONNECT_TIMEOUT_MS));
        // A REFER's transaction ends soon after its 202, while its NOTIFYs keep coming: they are matched by dialog
        // (ReferTransfers), so jain-sip must hand them over instead of answering 481 for want of a SUBSCRIBE.
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // Transports behind the source gate (allow list, connection caps, read deadline) and the allow list as the
        // valve for UDP: jain-sip's own NIO processors enforce neither MAX_CONNECTIONS nor READ_TIMEOUT.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", GuardedMessageProcessorFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", AllowListValve.class.getName());
        // jain-sip's parser calls every request SIP/2.0; this one marks other versions from the raw start line (505).
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", VersionCheckingParserFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", Long.toString(config.policy.idleCloseMs()));
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        if (config.transports.contains("tls")) {
            p.setProperty("javax.net.ssl.keyStore", config.tlsKeyStore.toString());
            p.setProperty("javax.net.ssl.keyStorePassword", new String(config.tlsKeyStorePassword));
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            // Our key and trust material: the JDK trust store or --sip-tls-ca, never jain-sip's trust-all manager.
            p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", TlsManagers.class.getName());
            if (config.policy.tlsCa() != null) {
                p.setProperty(TlsManagers.CA_FILE, config.policy.tlsCa().toString());
            }
            // The server's certificate and host name are checked inside the handshake (ServerIdentityTrustManager,
            // through OutgoingTlsMessageChannel). jain-sip's after-handshake hook is left at its default, which accepts:
            // it is given no certificate with client auth Disabled and is skipped when a TLS 1.3 handshake ends on a write.
            p.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", "gov.nist.javax.sip.stack.DefaultTlsSecurityPolicy");
            // Carriers rarely present client certificates; Twilio authenticates by source address (§4.3). "Disabled"
            // asks none of callers, yet checks the certificates of servers the gateway connects to.
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
            p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(config.policy.readDeadlineMs()));
            // jain-sip's default suites use RSA key exchange, which JDK 24+ disables: with them no handshake succeeds.
            // Forward-secret suites only; the ECDHE-RSA GCM and CBC-SHA2 ones are those Twilio's trunks offer
            // (protocols.md §4.4), the TLS 1.3 ones need nothing else.
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_CIPHER_SUITES));
        }
        return p;
    }

    /** Detaches {@code listener} and stops the stack; idempotent. */
    void stop(final SipListener listener) {
        if (stack != null) {
            if (provider != null) {
                provider.removeSipListener(listener);
            }
            stack.stop();
            stack = null;
            provider = null;
        }
        SourceGate.unregister(name);
        ReloadableKeyManager.unregister(name);
        SipMessageCapture.unregister(name);
    }

    /** The TLS listener's certificate, replaceable while the stack runs. */
    ReloadableKeyManager tlsKeys() {
        return tlsKeys;
    }

    SipProvider provider() {
        return provider;
    }

    MessageFactory messages() {
        return messages;
    }

    HeaderFactory headers() {
        return headers;
    }

    AddressFactory addresses() {
        return addresses;
    }
}
