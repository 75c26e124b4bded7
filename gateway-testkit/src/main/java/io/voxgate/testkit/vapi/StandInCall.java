package io.voxgate.testkit.vapi;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One call the stand-in created: what was asked for in {@code POST /call} and everything received on its
 * transport socket (audio bytes, control messages, the close code), with waits for tests and load runs.
 *
 * <p>Threading: written on the stand-in's event loop, read and awaited from any thread; every method takes
 * this object's monitor, and waits use {@link Object#wait(long)} with a deadline. Units: bytes, counts.
 */
public final class StandInCall {
    /** Received audio kept for byte-exact assertions; beyond this only the count grows. */
    private static final int KEPT_AUDIO_BYTES = 1 << 20;

    private final String id;
    private final String assistantId;
    private final String format;
    private final int sampleRateHz;
    private final String requestJson;
    private final StandInScript script;
    private final ByteArrayOutputStream receivedAudio = new ByteArrayOutputStream();
    private final List<String> controlMessages = new ArrayList<>();
    private final List<String> controlTypes = new ArrayList<>();
    private long audioBytesReceived;
    private long audioFramesReceived;
    private long audioBytesSent;
    private boolean socketOpened;
    private boolean socketClosed;
    private int closeCodeReceived = -1;
    private Channel channel;

    StandInCall(final String id, final String assistantId, final String format, final int sampleRateHz, final String requestJson,
                final StandInScript script) {
        this.id = id;
        this.assistantId = assistantId;
        this.format = format;
        this.sampleRateHz = sampleRateHz;
        this.requestJson = requestJson;
        this.script = script;
    }

    /** The call id the stand-in gave out. */
    public String id() {
        return id;
    }

    /** The assistant id asked for, or empty for an inline assistant. */
    public String assistantId() {
        return assistantId;
    }

    /** The negotiated audio format as {@code format/sampleRate}, e.g. {@code mulaw/8000} or {@code pcm_s16le/16000}. */
    public String audioFormat() {
        return format + "/" + sampleRateHz;
    }

    /** The {@code POST /call} body as received. */
    public String requestJson() {
        return requestJson;
    }

    /** The script this call runs. */
    public StandInScript script() {
        return script;
    }

    /** Whether the transport socket was opened. */
    public synchronized boolean socketOpened() {
        return socketOpened;
    }

    /** Whether the transport socket has closed. */
    public synchronized boolean socketClosed() {
        return socketClosed;
    }

    /** The close code of the client's close frame, or -1 when none arrived. */
    public synchronized int closeCodeReceived() {
        return closeCodeReceived;
    }

    /** Audio bytes received from the client. */
    public synchronized long audioBytesReceived() {
        return audioBytesReceived;
    }

    /** Binary frames received from the client. */
    public synchronized long audioFramesReceived() {
        return audioFramesReceived;
    }

    /** Audio bytes sent to the client. */
    public synchronized long audioBytesSent() {
        return audioBytesSent;
    }

    /** A copy of the first MiB of audio received. */
    public synchronized byte[] receivedAudio() {
        return receivedAudio.toByteArray();
    }

    /** The {@code type}s of the control messages received, in order. */
    public synchronized List<String> controlTypes() {
        return new ArrayList<>(controlTypes);
    }

    /** The control messages received, as JSON text, in order. */
    public synchronized List<String> controlMessages() {
        return new ArrayList<>(controlMessages);
    }

    /** Waits until at least {@code bytes} audio bytes arrived; false on timeout. */
    public synchronized boolean awaitAudioBytes(final long bytes, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (audioBytesReceived < bytes) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until a control message of {@code type} arrived; false on timeout. */
    public synchronized boolean awaitControl(final String type, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!controlTypes.contains(type)) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the socket closed; false on timeout. */
    public synchronized boolean awaitSocketClosed(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!socketClosed) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Sends a JSON control message to the client, as Vapi would; false when the socket is not open. */
    public boolean sendText(final String json) {
        final Channel ch = channel();
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ch.writeAndFlush(new TextWebSocketFrame(json));
        return true;
    }

    /**
     * Drops the transport socket without a close frame, as a network failure or a crashed server would; false when it
     * is not open.
     */
    public boolean drop() {
        final Channel ch = channel();
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ch.close();
        return true;
    }

    /** Sends audio to the client as one binary frame; false when the socket is not open. */
    public boolean sendBinary(final byte[] audio) {
        final Channel ch = channel();
        if (ch == null || !ch.isActive()) {
            return false;
        }
        synchronized (this) {
            audioBytesSent += audio.length;
        }
        ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio.clone())));
        return true;
    }

    @Override
    public synchronized String toString() {
        return "StandInCall{" + id + ", " + audioFormat() + ", received=" + audioBytesReceived + " B, sent=" + audioBytesSent
            + " B, control=" + controlTypes + ", closed=" + socketClosed + "}";
    }

    synchronized Channel channel() {
        return channel;
    }

    synchronized boolean opened(final Channel ch) {
        if (socketOpened) {
            return false;
        }
        socketOpened = true;
        channel = ch;
        notifyAll();
        return true;
    }

    synchronized long audioReceived(final byte[] audio, final int offset, final int length) {
        audioBytesReceived += length;
        audioFramesReceived++;
        final int room = KEPT_AUDIO_BYTES - receivedAudio.size();
        if (room > 0) {
            receivedAudio.write(audio, offset, Math.min(room, length));
        }
        notifyAll();
        return audioFramesReceived;
    }

    synchronized void audioSent(final int bytes) {
        audioBytesSent += bytes;
    }

    synchronized void controlReceived(final String type, final String json) {
        controlTypes.add(type);
        controlMessages.add(json);
        notifyAll();
    }

    synchronized void closeFrameReceived(final int code) {
        closeCodeReceived = code;
        notifyAll();
    }

    synchronized void closed() {
        socketClosed = true;
        notifyAll();
    }

    private boolean waitUntil(final long deadlineNs) throws InterruptedException {
        final long leftNs = deadlineNs - System.nanoTime();
        if (leftNs <= 0) {
            return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, leftNs);
        return true;
    }
}
