package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test's own RTP endpoint (the "caller" side of the media): sends numbered PCMU tone frames every 20 ms to
 * the gateway and records every packet that comes back. A frame's first four payload bytes carry a magic
 * marker and the next two its index, so echoed frames can be told from silence and put in order.
 */
public final class RtpPeer implements AutoCloseable {
    /** Payload type of PCMU. */
    public static final int PCMU = 0;
    private static final byte[] MAGIC = {0x11, 0x22, 0x33, 0x44};

    private final DatagramSocket socket;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "rtp-peer-send");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;
    /** Every packet received, raw. */
    public final List<byte[]> received = new CopyOnWriteArrayList<>();
    /** When each packet of {@link #received} arrived ({@code System.nanoTime}), in the same order. */
    public final List<Long> receivedAtNs = new CopyOnWriteArrayList<>();
    /**
     * When each frame of {@link #sendAudio} left ({@code System.nanoTime}), by frame index: on a busy machine the
     * sender's thread runs late, and a frame leaves after its planned 20 ms slot.
     */
    public final List<Long> audioSentAtNs = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    /** Counted down when the first echoed tone frame arrives. */
    public final CountDownLatch firstToneEchoed = new CountDownLatch(1);
    private volatile boolean closed;

    /** A peer on {@code 127.0.0.1:port}. */
    public RtpPeer(final int port) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(200);
        } catch (final SocketException ex) {
            throw new UncheckedIOException(ex);
        }
        receiver = new Thread(this::receive, "rtp-peer-receive");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The local port. */
    public int port() {
        return socket.getLocalPort();
    }

    /**
     * Starts sending {@code count} tone frames (payload type {@code pt}) to {@code target} every 20 ms; {@code
     * plan} maps each frame index to the packets actually sent (to drop, duplicate or reorder).
     */
    public void sendTone(final InetSocketAddress target, final int pt, final int count, final SendPlan plan) {
        final int ssrc = 0x5EED0001;
        final AtomicInteger tick = new AtomicInteger();
        final int[] held = {-1};
        sender.scheduleAtFixedRate(() -> {
            final int i = tick.getAndIncrement();
            if (i >= count) {
                return;
            }
            final int[] toSend = plan.packetsAt(i, held);
            for (final int index : toSend) {
                send(target, packet(pt, index, ssrc, false, tone(index)));
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sending {@code audio} (payload type {@code pt}, 8 kHz, 160 bytes a packet) to {@code target} every 20 ms, in
     * order; a partial last frame is not sent. When each frame actually left is in {@link #audioSentAtNs}.
     *
     * @return when the first packet leaves ({@code System.nanoTime}, planned)
     */
    public long sendAudio(final InetSocketAddress target, final int pt, final byte[] audio) {
        final int ssrc = 0x5EED0002;
        final AtomicInteger tick = new AtomicInteger();
        final long startNs = System.nanoTime();
        sender.scheduleAtFixedRate(() -> {
            final int i = tick.getAndIncrement();
            if ((i + 1) * 160 > audio.length) {
                return;
            }
            send(target, packet(pt, i, ssrc, i == 0, Arrays.copyOfRange(audio, i * 160, (i + 1) * 160)));
            audioSentAtNs.add(System.nanoTime());
        }, 0, 20, TimeUnit.MILLISECONDS);
        return startNs;
    }

    /**
     * Starts sending {@code datagrams} as they are (already SRTP, or deliberately broken) to {@code target}, one
     * every 20 ms, in order.
     */
    public void sendDatagrams(final InetSocketAddress target, final List<byte[]> datagrams) {
        final AtomicInteger tick = new AtomicInteger();
        sender.scheduleAtFixedRate(() -> {
            final int i = tick.getAndIncrement();
            if (i < datagrams.size()) {
                send(target, datagrams.get(i));
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Indices of the tone frames among {@code packets} (plain RTP; {@code null} entries skipped), in order. */
    public static int[] toneIndices(final List<byte[]> packets) {
        return packets.stream().filter(d -> d != null && isTone(d)).mapToInt(d -> (d[12 + 4] & 0xFF) << 8 | d[12 + 5] & 0xFF)
            .toArray();
    }

    /** Sends one datagram now. */
    public void send(final InetSocketAddress target, final byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, target));
            sent.incrementAndGet();
        } catch (final IOException ex) {
            // ICMP unreachable before the gateway bound the port: packet lost, as on a network.
        }
    }

    /** An RTP packet. */
    public static byte[] packet(final int pt, final int seq, final int ssrc, final boolean marker, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq).putInt(seq * 160).putInt(ssrc).put(payload);
        return b.array();
    }

    /** A 160-byte mu-law frame carrying the magic marker and {@code index}. */
    public static byte[] tone(final int index) {
        final byte[] p = new byte[160];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (0x10 + (i * 7 & 0x3F));
        }
        System.arraycopy(MAGIC, 0, p, 0, 4);
        p[4] = (byte) (index >> 8);
        p[5] = (byte) index;
        return p;
    }

    /** Indices of the tone frames received back, in arrival order. */
    public int[] echoedIndices() {
        return received.stream().filter(RtpPeer::isTone).mapToInt(d -> (d[12 + 4] & 0xFF) << 8 | d[12 + 5] & 0xFF).toArray();
    }

    private static boolean isTone(final byte[] d) {
        return d.length == 172 && d[12] == MAGIC[0] && d[13] == MAGIC[1] && d[14] == MAGIC[2] && d[15] == MAGIC[3];
    }

    /** Packets sent so far. */
    public int sent() {
        return sent.get();
    }

    private void receive() {
        final byte[] buf = new byte[2048];
        while (!closed) {
            final DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                final byte[] copy = new byte[p.getLength()];
                System.arraycopy(buf, 0, copy, 0, copy.length);
                receivedAtNs.add(System.nanoTime());
                received.add(copy);
                if (isTone(copy)) {
                    firstToneEchoed.countDown();
                }
            } catch (final SocketTimeoutException ex) {
                // Poll the closed flag.
            } catch (final IOException ex) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        socket.close();
        try {
            receiver.join(2_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Which packets go out at each 20 ms tick. */
    @FunctionalInterface
    public interface SendPlan {
        /** The frame indices to send at tick {@code i}; {@code held} is scratch for reordering. */
        int[] packetsAt(int i, int[] held);

        /** Every frame once, in order. */
        static SendPlan inOrder() {
            return (i, held) -> new int[] {i};
        }

        /** Every 10th frame lost, every 7th duplicated, every 13th swapped with its successor. */
        static SendPlan impaired() {
            return (i, held) -> {
                if (i % 10 == 5) {
                    return new int[0];
                }
                if (i % 13 == 3) {
                    held[0] = i;
                    return new int[0];
                }
                if (held[0] >= 0 && held[0] == i - 1) {
                    final int h = held[0];
                    held[0] = -1;
                    return new int[] {i, h};
                }
                return i % 7 == 2 ? new int[] {i, i} : new int[] {i};
            };
        }
    }
}
