package io.voxgate.sip.hep;

import io.voxgate.sip.signaling.SipMessageMirror;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors SIP messages to a HEP3 capture node over UDP ({@code --hep-url udp://host:port}). The signalling thread
 * that saw a message encodes its HEP3 packet straight into a bounded Agrona many-to-one ring ({@link #onSipMessage});
 * a sender thread of its own takes packets off the ring and sends one datagram each. Nothing waits: when the ring is
 * full the packet is dropped and counted, and a packet larger than a datagram is never queued.
 *
 * <p>Threading: {@link #onSipMessage} from any number of signalling threads; the counters from any thread;
 * {@link #start} and {@link #close} from the control thread. Send errors (no route, the capture node down) are
 * counted and logged once; the sender keeps going.
 */
public final class HepSender implements SipMessageMirror, AutoCloseable {
    /** 1 MiB holds about a thousand typical INVITEs: a signalling burst while the sender is descheduled. */
    public static final int RING_BYTES = 1 << 20;
    /** Capture agent id in every packet: tells this gateway's packets apart at the capture node. */
    public static final int DEFAULT_CAPTURE_ID = 2_001;
    private static final Logger LOG = LoggerFactory.getLogger(HepSender.class);
    private static final int PACKET = 1;

    private final InetSocketAddress target;
    private final int captureId;
    private final RingBuffer ring;
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong packetsDropped = new AtomicLong();
    private final AtomicLong packetsOversize = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(Hep3Encoder.MAX_PACKET_LENGTH);
    private final MessageHandler sendOne = (type, buffer, index, length) -> send(buffer, index, length);
    private volatile boolean running;
    private DatagramChannel channel;
    private Thread sender;

    /**
     * A sender to {@code target}, not yet started.
     *
     * @param target    the capture node (an address already resolved)
     * @param captureId the capture agent id written into every packet
     */
    public HepSender(final InetSocketAddress target, final int captureId) {
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("--hep-url: " + target.getHostString() + " does not resolve");
        }
        this.target = target;
        this.captureId = captureId;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Opens the socket and starts the sender thread.
     *
     * @throws IllegalStateException naming {@code --hep-url} when no socket can be opened
     */
    public synchronized HepSender start() {
        try {
            channel = DatagramChannel.open(target.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        } catch (final IOException ex) {
            throw new IllegalStateException("--hep-url: cannot open a UDP socket: " + ex.getMessage(), ex);
        }
        running = true;
        sender = new Thread(this::run, "voxgate-hep");
        sender.setDaemon(true);
        sender.start();
        LOG.info("HEP3 capture to {} (capture id {})", target, captureId);
        return this;
    }

    @Override
    public void onSipMessage(final byte[] source, final int sourcePort, final byte[] destination, final int destinationPort,
                             final boolean tcp, final long epochMicros, final byte[] callId, final byte[] message) {
        final int length = Hep3Encoder.length(source.length, callId.length, message.length);
        if (length > Hep3Encoder.MAX_PACKET_LENGTH) {
            packetsOversize.incrementAndGet();
            return;
        }
        final int index = ring.tryClaim(PACKET, length);
        if (index < 0) {
            packetsDropped.incrementAndGet();
            return;
        }
        Hep3Encoder.encode(ring.buffer(), index, source, sourcePort, destination, destinationPort, tcp, epochMicros, captureId,
            callId, message, message.length);
        ring.commit(index);
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 100_000L, 10_000_000L);
        while (running) {
            idle.idle(ring.read(sendOne, 64));
        }
    }

    private void send(final DirectBuffer buffer, final int index, final int length) {
        datagram.clear();
        buffer.getBytes(index, datagram, length);
        datagram.flip();
        try {
            channel.send(datagram, target);
            packetsSent.incrementAndGet();
        } catch (final IOException ex) {
            if (sendErrors.getAndIncrement() == 0) {
                LOG.warn("HEP3: cannot send to {}: {} (further errors are only counted)", target, ex.getMessage());
            }
        }
    }

    /** Packets sent to the capture node. */
    public long packetsSent() {
        return packetsSent.get();
    }

    /** Packets dropped because the ring was full (the sender fell behind). */
    public long packetsDropped() {
        return packetsDropped.get();
    }

    /** Messages not mirrored because their packet would not fit one datagram. */
    public long packetsOversize() {
        return packetsOversize.get();
    }

    /** Packets lost to a failed send. */
    public long sendErrors() {
        return sendErrors.get();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (sender != null) {
            try {
                sender.join(2_000);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            sender = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ex) {
                LOG.debug("HEP3: closing the socket: {}", ex.getMessage());
            }
            channel = null;
        }
    }
}
