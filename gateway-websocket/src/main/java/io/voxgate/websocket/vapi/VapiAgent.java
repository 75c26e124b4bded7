package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.ScheduledFuture;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import io.voxgate.websocket.http.PeerText;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VoiceAgent} that is a Vapi assistant reached over Vapi's WebSocket transport (protocols.md §5):
 * {@code POST /call} creates the call, its {@code transport.websocketCallUrl} is opened, then caller audio goes
 * out as binary frames and assistant audio and JSON control messages come back.
 *
 * <p>States: NEW, CREATING ({@code POST /call} on a kept-alive connection of the loop's {@link VapiApiConnections},
 * one retry on 5xx or a failed connect), OPENING (WebSocket handshake), OPEN, PROMPTING (a refused call plays the
 * failure prompt before it ends), CLOSED. Two more once the caller has hung up before the socket was open:
 * ABANDONED ({@code POST /call} still in flight: its answer is awaited, within the attempt's time, never retried) and
 * ENDING (a Vapi call exists that nobody will join: its transport socket is opened, or its opening finished, only to
 * send {@code end-call} and close, so Vapi does not hold, and bill, a call for a caller who left).
 *
 * <p>Threading: every method runs on the call's event loop, and both client channels (REST and socket) are
 * registered with that same loop, so their callbacks arrive there too and the listener is called without a
 * hop. Ownership: caller audio is copied once into a pooled frame buffer that the channel releases after
 * writing; assistant audio is handed to the listener as a view over the received bytes, which the transport
 * handler releases after the callback. Secrets: the socket URL, the Vapi call id and the API key are never
 * logged; log lines go through {@link VapiRedaction}.
 */
final class VapiAgent implements VoiceAgent, WebSocketFrameReader.FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(VapiAgent.class);
    /** Largest text or binary message accepted from Vapi; generous for JSON control messages. */
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    /** How long to wait for Vapi's close frame after ours before dropping the connection. */
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;
    /** A retry is only worth starting with at least this much of the deadline left. */
    private static final long MIN_RETRY_BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int CLOSE_NORMAL = 1000;
    private static final int CLOSE_PROTOCOL_ERROR = 1002;
    private static final byte[] END_CALL = "{\"type\":\"end-call\"}".getBytes(StandardCharsets.UTF_8);

    private enum State { NEW, CREATING, OPENING, OPEN, PROMPTING, ABANDONED, ENDING, CLOSED }

    /** Told to a replacement assistant when its socket opens. */
    static final String RESUMED_NOTE = "This call was resumed: the connection to the previous assistant failed mid-call"
        + " and the caller heard a hold tone for a moment. Continue the conversation; do not start it over.";
    private final VapiAgentFactory factory;
    private final VapiConfig config;
    private final VapiAgentStats stats;
    private final AgentCall call;
    private final EventLoop loop;
    private final VapiFrameEncoder encoder = new VapiFrameEncoder();
    private final VapiControlDecoder controlDecoder;
    private final UnsafeBuffer promptView = new UnsafeBuffer(0, 0);

    private State state = State.NEW;
    private AgentListener listener;
    private long connectStartNs;
    private long deadlineNs;
    private int attempt;
    private Channel createChannel;
    private Channel socket;
    private ScheduledFuture<?> deadlineTimer;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> endTimer;
    private String vapiCallId;
    private URI socketUrl;
    private boolean vapiSaidEnded;

    private long callerFramesSent;
    private long callerBytesSent;
    private long callerFramesDroppedNotOpen;
    private long callerFramesDroppedUnwritable;
    private long agentFramesReceived;
    private long agentBytesReceived;

    VapiAgent(final VapiAgentFactory factory, final AgentCall call, final EventLoop loop, final ObjectMapper json) {
        this.factory = factory;
        this.config = factory.config();
        this.stats = factory.stats();
        this.call = call;
        this.loop = loop;
        this.controlDecoder = new VapiControlDecoder(json);
    }

    @Override
    public AudioFormat audioFormat() {
        return config.audioFormat();
    }

    @Override
    public void connect(final AgentCall agentCall, final AgentListener agentListener, final long nowNs) {
        if (state != State.NEW) {
            throw new IllegalStateException("connect called twice on the Vapi agent of call " + call.callId());
        }
        this.listener = agentListener;
        this.connectStartNs = factory.nanoTime();
        this.deadlineNs = connectStartNs + TimeUnit.MILLISECONDS.toNanos(config.connectDeadlineMs());
        state = State.CREATING;
        deadlineTimer = loop.schedule(this::onConnectDeadline, config.connectDeadlineMs(), TimeUnit.MILLISECONDS);
        startCreateAttempt();
    }

    @Override
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        final Channel ch = socket;
        if (state != State.OPEN || ch == null) {
            callerFramesDroppedNotOpen++;
            return;
        }
        if (!ch.isWritable()) {
            // Vapi is not draining the socket: dropping a frame beats queueing audio without bound.
            callerFramesDroppedUnwritable++;
            return;
        }
        final ByteBuf frame = encoder.binaryFrame(ch.alloc(), audio, offset, length, ThreadLocalRandom.current().nextInt());
        ch.writeAndFlush(frame, ch.voidPromise());
        callerFramesSent++;
        callerBytesSent += length;
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        final String template = config.dtmfMessage();
        if (state != State.OPEN || template.isEmpty()) {
            return;
        }
        sendText(template.replace(VapiConfig.DIGIT_PLACEHOLDER, String.valueOf(digit)).getBytes(StandardCharsets.UTF_8));
        stats.digitForwarded();
    }

    /**
     * Tells the assistant how a transfer went when it failed: the caller is still on the line, listening to it. A
     * system {@code add-message} that asks for a response, so the assistant says so instead of falling silent.
     */
    @Override
    public void onTransferUpdate(final TransferRequest request, final TransferState transferState, final String detail,
                                 final long nowNs) {
        if (state != State.OPEN || !transferState.isFailure()) {
            return;
        }
        stats.transferFailureTold();
        sendText(systemMessage("The transfer to " + request.target() + " did not go through (" + transferState.label()
            + (detail.isEmpty() ? "" : ": " + detail) + "). The caller is still on the line with you: tell them, and"
            + " offer another way to help."));
    }

    /** The assistant's transfer tool fired: hand it to the call, or tell the assistant why the target is unusable. */
    private void onTransferRequested(final String target, final String announcement) {
        final TransferRequest request;
        try {
            request = TransferRequest.of(target, announcement, TransferRequest.Origin.AGENT);
        } catch (final IllegalArgumentException ex) {
            stats.transferRefusedInvalid();
            LOG.info("vapi transfer refused call={}: {}", call.callId(), ex.getMessage());
            sendText(systemMessage("The transfer could not be made: " + ex.getMessage()
                + ". The caller is still on the line with you."));
            return;
        }
        stats.transferRequested();
        LOG.info("vapi asks for {} call={}", request, call.callId());
        listener.onAgentTransferRequest(request, factory.nanoTime());
    }

    /** An {@code add-message} control message with a system {@code content}, asking the assistant to respond. */
    private byte[] systemMessage(final String content) {
        return systemMessage(content, true);
    }

    private byte[] systemMessage(final String content, final boolean respond) {
        final ObjectNode message = factory.json().createObjectNode();
        message.put("type", "add-message");
        message.putObject("message").put("role", "system").put("content", content);
        message.put("triggerResponseEnabled", respond);
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close(final String reason, final long nowNs) {
        if (state == State.CLOSED || state == State.ABANDONED || state == State.ENDING) {
            return;
        }
        final State previous = state;
        if (previous == State.CREATING || previous == State.OPENING) {
            abandon(previous);
            LOG.info("vapi agent closed by gateway before the socket opened call={} reason={}", call.callId(), reason);
            return;
        }
        finish(VapiCloseReason.CALLER_HANGUP);
        if (previous == State.OPEN) {
            // protocols.md §5.3: end-call is the schema's hang-up message; then the close handshake (RFC 6455 §7.1.2).
            sendText(END_CALL);
            startCloseHandshake(CLOSE_NORMAL);
        } else if (socket != null) {
            socket.close();
        }
        LOG.info("vapi agent closed by gateway call={} reason={}", call.callId(), reason);
    }

    // ---- REST: POST /call

    private void startCreateAttempt() {
        attempt++;
        final boolean retry = attempt > 1;
        stats.createAttempted(retry);
        final int thisAttempt = attempt;
        final URI api = config.apiUrl();
        final byte[] body = factory.createCallBody(call);
        final long attemptTimeoutNs = retry ? deadlineNs - factory.nanoTime()
            : Math.min(TimeUnit.MILLISECONDS.toNanos(config.createAttemptTimeoutMs()), deadlineNs - factory.nanoTime());
        final VapiApiConnections connections = factory.apiConnections(loop);
        final CreateCallHandler handler = new CreateCallHandler(this, connections, thisAttempt, api.getPath() + "/call",
            ClientChannels.hostHeader(api), config.apiKey(), body);
        final ChannelFuture connected = connections.acquire((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(attemptTimeoutNs)));
        createChannel = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                onCreateFailure(thisAttempt, "connect failed: " + f.cause().getClass().getSimpleName());
            } else if (thisAttempt == attempt && (state == State.CREATING || state == State.ABANDONED)) {
                handler.send(connected.channel());
            } else {
                // Given up while connecting: a connection no exchange used is not worth a pool slot.
                connected.channel().close();
            }
        });
        if (!retry && attemptTimeoutNs < deadlineNs - factory.nanoTime() - MIN_RETRY_BUDGET_NS) {
            attemptTimer = loop.schedule(() -> onCreateTimeout(thisAttempt), attemptTimeoutNs, TimeUnit.NANOSECONDS);
        }
        // The retry (or a first attempt the deadline cuts short) has the rest of the connect deadline, which
        // ends it, and the call, with CONNECT_TIMEOUT.
        if (retry) {
            LOG.info("vapi call create retry call={} attempt={}", call.callId(), thisAttempt);
        }
    }

    void onCreateResponse(final int forAttempt, final int status, final byte[] body) {
        if (forAttempt != attempt) {
            return;
        }
        if (state == State.ABANDONED) {
            createChannel = null;
            onAbandonedCreateAnswered(status, body);
            return;
        }
        if (state != State.CREATING) {
            return;
        }
        cancel(attemptTimer);
        createChannel = null;
        if (status >= 200 && status < 300) {
            onCallCreated(body);
        } else if (status == 401 || status == 403) {
            failWithPrompt(VapiCloseReason.CREATE_UNAUTHORIZED, status);
        } else if (status == 404) {
            failWithPrompt(VapiCloseReason.CREATE_NOT_FOUND, status);
        } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
            failWithPrompt(VapiCloseReason.CREATE_REJECTED, status);
        } else {
            retryOrFail("HTTP " + status);
        }
    }

    void onCreateFailure(final int forAttempt, final String why) {
        if (state == State.ABANDONED && forAttempt == attempt) {
            // The request never reached Vapi: there is no call to end, and the caller is gone, so no retry.
            createChannel = null;
            settle();
            return;
        }
        if (state != State.CREATING || forAttempt != attempt) {
            return;
        }
        cancel(attemptTimer);
        createChannel = null;
        retryOrFail(why);
    }

    /**
     * The request may have reached Vapi and no answer says whether a call was made: Vapi documents no idempotency key
     * for {@code POST /call}, so a second request could create (and bill) a second call. One attempt, then the
     * failure prompt.
     */
    void onCreateLost(final int forAttempt, final String why) {
        if (state == State.ABANDONED && forAttempt == attempt) {
            stats.createLost();
            LOG.warn("vapi call create outcome unknown after the caller hung up, nothing to end call={} cause={}", call.callId(),
                VapiRedaction.redact(why, config.apiKey()));
            settle();
            return;
        }
        if (state != State.CREATING || forAttempt != attempt) {
            return;
        }
        cancel(attemptTimer);
        final Channel ch = createChannel;
        createChannel = null;
        if (ch != null) {
            ch.close();
        }
        stats.createLost();
        LOG.warn("vapi call create outcome unknown, not repeated call={} cause={}", call.callId(),
            VapiRedaction.redact(why, config.apiKey()));
        endByAgent(VapiCloseReason.CREATE_FAILED);
    }

    private void onCreateTimeout(final int forAttempt) {
        onCreateLost(forAttempt, "no response within " + config.createAttemptTimeoutMs() + " ms");
    }

    private void retryOrFail(final String why) {
        final long left = deadlineNs - factory.nanoTime();
        final String safe = VapiRedaction.redact(why, config.apiKey());
        if (attempt < 2 && left >= MIN_RETRY_BUDGET_NS) {
            LOG.warn("vapi call create failed, retrying call={} attempt={} cause={}", call.callId(), attempt, safe);
            startCreateAttempt();
            return;
        }
        LOG.warn("vapi call create failed call={} attempts={} cause={}", call.callId(), attempt, safe);
        endByAgent(VapiCloseReason.CREATE_FAILED);
    }

    private void onCallCreated(final byte[] body) {
        final JsonNode root;
        try {
            root = factory.json().readTree(body);
        } catch (final IOException ex) {
            LOG.warn("vapi call create answered with a body that is not JSON call={}", call.callId());
            endByAgent(VapiCloseReason.CREATE_BAD_RESPONSE);
            return;
        }
        vapiCallId = root == null ? null : root.path("id").asText(null);
        socketUrl = root == null ? null : parseSocketUrl(root);
        if (socketUrl == null) {
            LOG.warn("vapi call create answered without a usable transport.websocketCallUrl call={} vapiCall={}", call.callId(),
                VapiRedaction.callIdForLog(vapiCallId));
            endByAgent(VapiCloseReason.CREATE_BAD_RESPONSE);
            return;
        }
        if (vapiCallId != null) {
            factory.records().bind(vapiCallId, call.callId());
        }
        LOG.info("vapi call created call={} vapiCall={}", call.callId(), VapiRedaction.callIdForLog(vapiCallId));
        openSocket();
    }

    /**
     * The socket URL from a create-call response. The docs show it in {@code transport.websocketCallUrl} but the
     * OpenAPI schema does not list it (protocols.md §5.1), so a top-level {@code websocketCallUrl} is also
     * accepted, and {@code http(s)} is read as {@code ws(s)}. Errors never include the URL.
     */
    static URI parseSocketUrl(final JsonNode root) {
        JsonNode node = root.path("transport").path("websocketCallUrl");
        if (!node.isTextual()) {
            node = root.path("websocketCallUrl");
        }
        if (!node.isTextual()) {
            return null;
        }
        final URI uri;
        try {
            uri = new URI(node.asText().trim());
        } catch (final URISyntaxException ex) {
            return null;
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        final String wsScheme;
        switch (scheme) {
            case "ws":
            case "http":
                wsScheme = "ws";
                break;
            case "wss":
            case "https":
                wsScheme = "wss";
                break;
            default:
                return null;
        }
        if (uri.getHost() == null) {
            return null;
        }
        final String host = uri.getHost().indexOf(':') >= 0 && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        final String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        final String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        try {
            return new URI(wsScheme + "://" + host + port + path + query);
        } catch (final URISyntaxException ex) {
            return null;
        }
    }

    // ---- the transport socket

    private void openSocket() {
        state = State.OPENING;
        connectSocket(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - factory.nanoTime())));
    }

    private void connectSocket(final long connectTimeoutMs) {
        final URI url = socketUrl;
        final String host = url.getHost();
        final int port = ClientChannels.port(url);
        final boolean tls = ClientChannels.secure(url);
        final String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        final VapiTransportHandler transport = new VapiTransportHandler(this, WebSocketFrameReader.serverFrames(MAX_MESSAGE_BYTES));
        final VapiHandshakeHandler handshake = new VapiHandshakeHandler(this, target, ClientChannels.hostHeader(url), transport);
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(ClientChannels.socketChannelClass(loop))
            .resolver(factory.resolverGroup(loop))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel ch) {
                    final ChannelPipeline p = ch.pipeline();
                    if (tls) {
                        p.addLast(ClientChannels.sslHandler(factory.sslContext(), ch.alloc(), host, port));
                    }
                    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024), handshake);
                }
            });
        final ChannelFuture connected = bootstrap.connect(host, port);
        socket = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess() && state == State.OPENING) {
                LOG.warn("vapi socket connect failed call={} cause={}", call.callId(), f.cause().getClass().getSimpleName());
                endByAgent(VapiCloseReason.SOCKET_FAILED);
            } else if (!f.isSuccess() && state == State.ENDING) {
                onEndingFailed("connect failed: " + f.cause().getClass().getSimpleName());
            }
        });
    }

    void onSocketOpen(final Channel ch) {
        if (state == State.ENDING) {
            endCallNobodyJoins();
            return;
        }
        if (state != State.OPENING) {
            ch.close();
            return;
        }
        state = State.OPEN;
        cancel(deadlineTimer);
        final long now = factory.nanoTime();
        stats.connected(now - connectStartNs);
        LOG.info("vapi socket open call={} connectMs={}", call.callId(), TimeUnit.NANOSECONDS.toMillis(now - connectStartNs));
        if ("true".equals(call.metadata().get(CallSession.RESUMED_KEY))) {
            // The assistant's variables say so too (voxgateResumed); the note gives it the context in words.
            sendText(systemMessage(RESUMED_NOTE, false));
        }
        listener.onAgentConnected(now);
    }

    void onSocketRejected(final int status) {
        if (state == State.OPENING) {
            LOG.warn("vapi socket upgrade refused call={} status={}", call.callId(), status);
            endByAgent(VapiCloseReason.SOCKET_FAILED);
        } else if (state == State.ENDING) {
            onEndingFailed("upgrade refused with " + status);
        }
    }

    void onSocketInactive() {
        if (state == State.ENDING) {
            onEndingFailed("socket closed before it opened");
        } else if (state == State.OPENING) {
            endByAgent(VapiCloseReason.SOCKET_FAILED);
        } else if (state == State.OPEN) {
            LOG.warn("vapi socket dropped call={}", call.callId());
            endByAgent(VapiCloseReason.SOCKET_DROPPED);
        }
        cancel(endTimer);
    }

    void onSocketException(final Throwable cause) {
        if (state == State.OPENING || state == State.OPEN) {
            LOG.warn("vapi socket error call={} cause={}: {}", call.callId(), cause.getClass().getSimpleName(),
                PeerText.of(VapiRedaction.redact(cause.getMessage(), secrets())));
        }
    }

    void onProtocolError(final String why) {
        if (state == State.OPEN) {
            LOG.warn("vapi socket protocol error call={} cause={}", call.callId(), why);
            endByAgent(VapiCloseReason.SOCKET_PROTOCOL_ERROR, CLOSE_PROTOCOL_ERROR);
        }
    }

    @Override
    public void onBinary(final DirectBuffer audio, final int offset, final int length, final boolean last) {
        if (state != State.OPEN) {
            return;
        }
        agentFramesReceived++;
        agentBytesReceived += length;
        listener.onAgentAudio(audio, offset, length, factory.nanoTime());
    }

    @Override
    public void onText(final DirectBuffer utf8, final int offset, final int length) {
        if (state != State.OPEN) {
            return;
        }
        final byte[] text = new byte[length];
        utf8.getBytes(offset, text);
        final VapiControlDecoder.Action action = controlDecoder.decode(text);
        stats.controlMessage(action != VapiControlDecoder.Action.UNKNOWN, action == VapiControlDecoder.Action.MALFORMED);
        switch (action) {
            case INTERRUPT:
                stats.interruption();
                listener.onAgentInterruption(factory.nanoTime());
                break;
            case EVENT:
                listener.onAgentEvent(controlDecoder.event());
                break;
            case TRANSFER:
                onTransferRequested(controlDecoder.transferTarget(), controlDecoder.transferAnnouncement());
                break;
            case END:
                vapiSaidEnded = true;
                listener.onAgentEvent(controlDecoder.event());
                if (state == State.OPEN) {
                    LOG.info("vapi ended the call call={}", call.callId());
                    endByAgent(VapiCloseReason.VAPI_ENDED);
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void onClose(final int statusCode) {
        if (state == State.OPEN) {
            LOG.info("vapi closed the socket call={} code={}", call.callId(), statusCode);
            endByAgent(vapiSaidEnded ? VapiCloseReason.VAPI_ENDED : VapiCloseReason.SOCKET_CLOSED,
                statusCode == WebSocketFrameReader.NO_STATUS_CODE ? CLOSE_NORMAL : statusCode);
        } else if (socket != null) {
            // Our close frame was answered: the close handshake is complete (RFC 6455 §7.1.1).
            socket.close();
        }
    }

    @Override
    public void onPing(final DirectBuffer payload, final int offset, final int length) {
        final Channel ch = socket;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(encoder.pongFrame(ch.alloc(), payload, offset, length, ThreadLocalRandom.current().nextInt()),
                ch.voidPromise());
        }
    }

    // ---- endings

    private void onConnectDeadline() {
        if (state == State.ABANDONED) {
            stats.createLost();
            LOG.warn("vapi call create unanswered after the caller hung up, nothing to end call={}", call.callId());
            settle();
            return;
        }
        if (state == State.ENDING) {
            onEndingFailed("not opened within " + config.connectDeadlineMs() + " ms");
            return;
        }
        if (state == State.CREATING || state == State.OPENING) {
            LOG.warn("vapi agent not connected within {} ms call={}", config.connectDeadlineMs(), call.callId());
            if (createChannel != null) {
                createChannel.close();
            }
            endByAgent(VapiCloseReason.CONNECT_TIMEOUT);
        }
    }

    private void failWithPrompt(final VapiCloseReason reason, final int status) {
        LOG.warn("vapi call create refused call={} status={} reason={}", call.callId(), status, reason.wireName());
        state = State.PROMPTING;
        cancel(deadlineTimer);
        stats.promptPlayed();
        final long now = factory.nanoTime();
        listener.onAgentConnected(now);
        final byte[] prompt = factory.failurePrompt();
        final int frameBytes = config.audioFormat().bytesPerFrame();
        promptView.wrap(prompt);
        for (int at = 0; at < prompt.length && state == State.PROMPTING; at += frameBytes) {
            listener.onAgentAudio(promptView, at, Math.min(frameBytes, prompt.length - at), now);
        }
        if (state == State.PROMPTING) {
            endTimer = loop.schedule(() -> {
                if (state == State.PROMPTING) {
                    endByAgent(reason);
                }
            }, config.audioFormat().durationNs(prompt.length), TimeUnit.NANOSECONDS);
        }
    }

    private void endByAgent(final VapiCloseReason reason) {
        endByAgent(reason, CLOSE_NORMAL);
    }

    /** The agent ends by itself: count, close what is open, tell the listener once. */
    private void endByAgent(final VapiCloseReason reason, final int closeCode) {
        final State previous = state;
        finish(reason);
        if (previous == State.OPEN && socket != null && socket.isActive()) {
            startCloseHandshake(closeCode);
        } else if (socket != null) {
            socket.close();
        }
        if (reason.lostConnection() || reason == VapiCloseReason.SOCKET_CLOSED && closeCode != CLOSE_NORMAL) {
            // Not Vapi hanging up: the call may replace this agent (--agent-reconnect-ms).
            listener.onAgentLost(reason.wireName(), factory.nanoTime());
        } else {
            listener.onAgentClosed(reason.wireName(), factory.nanoTime());
        }
    }

    private void finish(final VapiCloseReason reason) {
        state = State.CLOSED;
        stats.recordClosed(reason);
        cancel(deadlineTimer);
        cancel(attemptTimer);
        cancel(endTimer);
        if (createChannel != null) {
            createChannel.close();
            createChannel = null;
        }
        stats.addFrameCounts(callerFramesSent, callerBytesSent, callerFramesDroppedNotOpen, callerFramesDroppedUnwritable,
            agentFramesReceived, agentBytesReceived);
    }

    /**
     * The caller hung up before the socket was open. While {@code POST /call} is in flight its answer is awaited (the
     * attempt's timer and the connect deadline still bound the wait); once the socket is being opened, its opening
     * goes on. Either way a Vapi call that exists is then ended at once ({@link #endCallNobodyJoins}).
     */
    private void abandon(final State previous) {
        stats.recordClosed(VapiCloseReason.CALLER_HANGUP);
        stats.addFrameCounts(callerFramesSent, callerBytesSent, callerFramesDroppedNotOpen, callerFramesDroppedUnwritable,
            agentFramesReceived, agentBytesReceived);
        if (previous == State.CREATING) {
            state = State.ABANDONED;
            return;
        }
        state = State.ENDING;
        stats.orphanCall();
    }

    private void onAbandonedCreateAnswered(final int status, final byte[] body) {
        cancel(attemptTimer);
        if (status < 200 || status >= 300) {
            settle();
            return;
        }
        stats.orphanCall();
        JsonNode root = null;
        try {
            root = factory.json().readTree(body);
        } catch (final IOException ex) {
            root = null;
        }
        vapiCallId = root == null ? null : root.path("id").asText(null);
        socketUrl = root == null ? null : parseSocketUrl(root);
        if (socketUrl == null) {
            LOG.warn("vapi call created after the caller hung up, without a usable socket URL to end it call={} vapiCall={}",
                call.callId(), VapiRedaction.callIdForLog(vapiCallId));
            settle();
            return;
        }
        LOG.info("vapi call created after the caller hung up, ending it call={} vapiCall={}", call.callId(),
            VapiRedaction.callIdForLog(vapiCallId));
        state = State.ENDING;
        // Its own bound: the connect deadline may already have passed while the answer was awaited.
        cancel(deadlineTimer);
        deadlineTimer = loop.schedule(this::onConnectDeadline, config.connectDeadlineMs(), TimeUnit.MILLISECONDS);
        connectSocket(config.connectDeadlineMs());
    }

    /**
     * Ends a Vapi call nobody will join, as the transport documents a hang-up: {@code end-call}, then the close
     * handshake. The socket is the only way every {@code vapi.websocket} call offers (protocols.md §5.3); the Live Call
     * Control URL is not documented for these calls, and {@code DELETE /call/{id}} deletes the call's data.
     */
    private void endCallNobodyJoins() {
        state = State.CLOSED;
        cancel(deadlineTimer);
        // Counted before the end-call leaves, so whoever sees the end-call also sees it counted.
        stats.orphanCallEnded();
        sendText(END_CALL);
        startCloseHandshake(CLOSE_NORMAL);
        LOG.info("vapi call ended after the caller hung up call={} vapiCall={}", call.callId(), VapiRedaction.callIdForLog(vapiCallId));
    }

    private void onEndingFailed(final String why) {
        LOG.warn("vapi call created after the caller hung up could not be ended call={} vapiCall={} cause={}", call.callId(),
            VapiRedaction.callIdForLog(vapiCallId), PeerText.of(VapiRedaction.redact(why, secrets())));
        settle();
    }

    /** The end of ABANDONED or ENDING: nothing is left to wait for. */
    private void settle() {
        state = State.CLOSED;
        cancel(deadlineTimer);
        cancel(attemptTimer);
        if (createChannel != null) {
            createChannel.close();
            createChannel = null;
        }
        if (socket != null) {
            socket.close();
        }
    }

    private void startCloseHandshake(final int code) {
        final Channel ch = socket;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ch.writeAndFlush(encoder.closeFrame(ch.alloc(), code, ThreadLocalRandom.current().nextInt()), ch.voidPromise());
        endTimer = loop.schedule(() -> ch.close(), CLOSE_HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private void sendText(final byte[] utf8) {
        final Channel ch = socket;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ch.writeAndFlush(encoder.frame(ch.alloc(), VapiFrameEncoder.OPCODE_TEXT, utf8, 0, utf8.length,
            ThreadLocalRandom.current().nextInt()), ch.voidPromise());
    }

    private String[] secrets() {
        return new String[] {socketUrl == null ? null : socketUrl.toString(), vapiCallId, config.apiKey()};
    }

    private static void cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The JSON body of {@code POST /call} for {@code call} (protocols.md §5.1). */
    static ObjectNode createCallRequest(final ObjectMapper json, final VapiConfig config, final AgentCall call) {
        final ObjectNode root = json.createObjectNode();
        config.assistant().writeTo(root);
        final ObjectNode variables = root.putObject("assistantOverrides").putObject("variableValues");
        for (final Map.Entry<String, String> e : call.metadata().entrySet()) {
            variables.put(e.getKey(), e.getValue());
        }
        // Lets a webhook find the gateway's call even when this node did not see the create response.
        variables.put("voxgateCallId", call.callId());
        variables.put("voxgateEdge", call.edge());
        final ObjectNode format = root.putObject("transport").put("provider", "vapi.websocket").putObject("audioFormat");
        format.put("format", config.vapiFormatName()).put("container", "raw").put("sampleRate", config.audioFormat().sampleRateHz());
        return root;
    }
}
