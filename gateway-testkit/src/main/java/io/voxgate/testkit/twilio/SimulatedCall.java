package io.voxgate.testkit.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.websocket.twilio.wire.Base64Decoder;
import io.voxgate.websocket.twilio.wire.MediaMessageFlyweight;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * One simulated call, from webhook to close; see {@link TwilioCallSimulator} for what it does.
 *
 * <p>Threading: confined to one event loop ({@code loop}); {@link #result()} completes there. Ownership: releases the
 * frames it receives; Netty releases what it writes.
 */
final class SimulatedCall {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One media message's worth of time. */
    static final long FRAME_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int FRAME_BYTES = SimulatedAudio.FRAME_BYTES;
    private static final byte[] MEDIA_HEAD = ascii("{\"event\":\"media\",\"sequenceNumber\":\"");
    private static final byte[] MEDIA_CHUNK = ascii("\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static final byte[] MEDIA_TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] MARK_HEAD = ascii("{\"event\":\"mark\",\"sequenceNumber\":\"");
    private static final byte[] MARK_TAIL = ascii("\"}}");
    /** Longest media message: fixed text, three 19-digit numbers, the payload and the streamSid. */
    private static final int MEDIA_MAX_BYTES = 160 + 3 * 19 + SimulatedAudio.FRAME_BASE64_BYTES + 64;
    /** A client text frame's header with a 16-bit length and the masking key (RFC 6455 §5.2). */
    static final int WS_HEADER_BYTES = 8;
    private static final Set<String> MEDIA_FIELDS = Set.of("event", "streamSid", "media");
    private static final Set<String> MARK_FIELDS = Set.of("event", "streamSid", "mark");
    private static final Set<String> CLEAR_FIELDS = Set.of("event", "streamSid");

    private final TwilioCallSimulator sim;
    private final CallPlan plan;
    private final EventLoop loop;
    private final CompletableFuture<SimulatedCallResult> result = new CompletableFuture<>();
    private final String streamSid = CallPlan.randomSid("MZ");
    private final byte[] streamSidBytes = streamSid.getBytes(StandardCharsets.US_ASCII);
    /** {@code "},"streamSid":"MZ..."}}: how a media message ends. */
    private final byte[] mediaTail = ascii("\"},\"streamSid\":\"" + streamSid + "\"}");
    /** {@code ","streamSid":"MZ...","mark":{"name":"}: between a mark echo's sequence number and its name. */
    private final byte[] markSid = ascii("\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"");
    private final MediaSendWheel.Member sender = new MediaSendWheel.Member() {
        @Override
        void onFrameDue(final long deadlineNs) {
            tick();
        }
    };
    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    /** Where this call builds each frame it sends (media and mark echoes), header room first. */
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[WS_HEADER_BYTES + MEDIA_MAX_BYTES]);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[] decoded = new byte[65_536];
    private final UnsafeBuffer decodedBuffer = new UnsafeBuffer(decoded);
    private final byte[] playout;
    private final ArrayDeque<PendingMark> pendingMarks = new ArrayDeque<>();
    private final MediaSendTicker ticker;
    private final boolean recordAudio;
    /** What the caller heard and every byte received, only when recording; otherwise playout is counted, not copied. */
    private final ByteArrayOutputStream heard;
    private final ByteArrayOutputStream received;
    private final List<Long> clearTimesNs = new ArrayList<>();

    private int webhookStatus;
    private String streamUrl = "";
    private Map<String, String> streamParameters = Collections.emptyMap();
    private int upgradeStatus;
    private Channel stream;
    private ScheduledFuture<?> closeTimeout;
    private long t0;
    private long tickNo;
    private long sequenceNumber;
    private long framesSent;
    private long framesReceived;
    private long bytesReceived;
    private long firstAudioNs = -1;
    private long marksReceived;
    private long marksEchoed;
    private long dtmfSent;
    private int nextDtmf;
    private long violations;
    private long overflows;
    private long playoutRead;
    private long playoutWritten;
    private boolean stopSent;
    private boolean closeSent;
    private boolean ticking;
    private int closeCode = -1;
    private String closeReason = "";
    private String error;
    private boolean finished;

    SimulatedCall(final TwilioCallSimulator sim, final CallPlan plan, final EventLoop loop) {
        this.sim = sim;
        this.plan = plan;
        this.loop = loop;
        this.ticker = sim.ticker(loop);
        this.recordAudio = sim.recordAudio();
        this.playout = recordAudio ? new byte[sim.playoutBufferMs() * SimulatedAudio.BYTES_PER_MS] : null;
        this.heard = recordAudio ? new ByteArrayOutputStream() : null;
        this.received = recordAudio ? new ByteArrayOutputStream() : null;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    CompletableFuture<SimulatedCallResult> result() {
        return result;
    }

    void start() {
        loop.execute(this::postWebhook);
    }

    // ---- webhook ------------------------------------------------------------------------------------------------

    private Map<String, String> webhookParameters() {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", sim.accountSid());
        params.put("ApiVersion", "2010-04-01");
        params.put("CallSid", plan.callSid());
        params.put("CallStatus", "ringing");
        params.put("Called", plan.to());
        params.put("Caller", plan.from());
        params.put("Direction", "inbound");
        params.put("From", plan.from());
        params.put("To", plan.to());
        return params;
    }

    private void postWebhook() {
        final Map<String, String> params = webhookParameters();
        final QueryStringEncoder form = new QueryStringEncoder("");
        params.forEach(form::addParam);
        final byte[] body = form.toString().substring(1).getBytes(StandardCharsets.UTF_8);
        final String path = "/voice/inbound";
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
            Unpooled.wrappedBuffer(body));
        request.headers()
            .set(HttpHeaderNames.HOST, sim.publicUrl().getRawAuthority())
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .set(HttpHeaderNames.USER_AGENT, "TwilioProxy/1.1");
        if (plan.signWebhook() && sim.signer() != null) {
            request.headers().set("X-Twilio-Signature", sim.signer().sign(sim.publicUrl() + path, params));
        }
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(sim.transport().socketChannelClass())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    addTls(ch, sim.publicUrl().getHost());
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new WebhookHandler());
                }
            });
        bootstrap.connect(sim.gateway().getHostString(), sim.gateway().getPort()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().writeAndFlush(request);
            } else {
                request.release();
                fail("webhook connect failed: " + f.cause());
            }
        });
    }

    /** With {@link TwilioCallSimulator.Builder#tls}: TLS first on the channel, naming {@code host} (SNI). */
    private void addTls(final SocketChannel ch, final String host) {
        if (sim.tls() != null) {
            ch.pipeline().addLast(sim.tls().newHandler(ch.alloc(), host, sim.gateway().getPort()));
        }
    }

    /** Receives the webhook's answer. */
    private final class WebhookHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private boolean answered;

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response) {
            answered = true;
            webhookStatus = response.status().code();
            final String body = response.content().toString(StandardCharsets.UTF_8);
            ctx.close();
            if (webhookStatus != 200) {
                fail("webhook answered " + webhookStatus);
                return;
            }
            try {
                parseTwiml(body);
            } catch (final IOException | SAXException | ParserConfigurationException | IllegalArgumentException ex) {
                fail("TwiML unusable: " + ex.getMessage());
                return;
            }
            connectStream();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            if (!answered) {
                fail("webhook connection closed without an answer");
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close();
            fail("webhook failed: " + cause);
        }
    }

    private void parseTwiml(final String xml) throws IOException, SAXException, ParserConfigurationException {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        final Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        final NodeList streams = doc.getElementsByTagName("Stream");
        if (!"Response".equals(doc.getDocumentElement().getTagName()) || streams.getLength() != 1) {
            throw new IllegalArgumentException("expected <Response> with one <Stream>");
        }
        final Element streamElement = (Element) streams.item(0);
        if (!"Connect".equals(streamElement.getParentNode().getNodeName())) {
            throw new IllegalArgumentException("<Stream> is not inside <Connect> (not bidirectional)");
        }
        streamUrl = streamElement.getAttribute("url");
        final Map<String, String> params = new LinkedHashMap<>();
        final NodeList parameters = streamElement.getElementsByTagName("Parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            final Element p = (Element) parameters.item(i);
            params.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        streamParameters = Collections.unmodifiableMap(params);
    }

    // ---- stream -------------------------------------------------------------------------------------------------

    private void connectStream() {
        final URI signed = URI.create(streamUrl);
        final String target = "ws://" + sim.gateway().getHostString() + ":" + sim.gateway().getPort() + signed.getRawPath();
        final HttpHeaders headers = new DefaultHttpHeaders();
        // Twilio connects to the host the stream URL names, so that is its Host (a proxy routes streams by it).
        headers.set(HttpHeaderNames.HOST, signed.getRawAuthority());
        headers.set(HttpHeaderNames.USER_AGENT, "Twilio.TmeWs/1.0");
        if (plan.signUpgrade() && sim.signer() != null) {
            headers.set("X-Twilio-Signature", sim.signer().sign(streamUrl, Collections.emptyMap()));
        }
        final WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
            URI.create(target), WebSocketVersion.V13, null, false, headers, 65_536);
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(sim.transport().socketChannelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    addTls(ch, signed.getHost());
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), new StreamHandler(handshaker));
                }
            });
        bootstrap.connect(sim.gateway().getHostString(), sim.gateway().getPort()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                fail("stream connect failed: " + f.cause());
            }
        });
    }

    /** The Media Streams WebSocket, as Twilio's side. */
    private final class StreamHandler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;

        StreamHandler(final WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            stream = ctx.channel();
            handshaker.handshake(ctx.channel());
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                final FullHttpResponse response = (FullHttpResponse) msg;
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                } catch (final WebSocketHandshakeException ex) {
                    upgradeStatus = response.status().code();
                    ctx.close();
                    fail("upgrade refused with " + upgradeStatus);
                    return;
                }
                upgradeStatus = 101;
                onOpen();
                return;
            }
            if (msg instanceof TextWebSocketFrame) {
                onGatewayMessage(((TextWebSocketFrame) msg).content());
            } else if (msg instanceof CloseWebSocketFrame) {
                final CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
                closeCode = close.statusCode();
                closeReason = close.reasonText();
                if (!closeSent) {
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(f -> ctx.close());
                } else {
                    ctx.close();
                }
            } else if (msg instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(((PingWebSocketFrame) msg).content().retain()));
            } else if (msg instanceof BinaryWebSocketFrame) {
                violations++;
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            if (upgradeStatus == 101) {
                finish();
            } else if (upgradeStatus == 0) {
                fail("stream connection closed before the upgrade was answered");
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            if (error == null && !stopSent) {
                error = "stream failed: " + cause;
            }
            ctx.close();
        }
    }

    private void onOpen() {
        send(text("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"));
        final ObjectNode start = JSON.createObjectNode();
        start.put("event", "start");
        start.put("sequenceNumber", Long.toString(++sequenceNumber));
        final ObjectNode body = start.putObject("start");
        body.put("accountSid", sim.accountSid());
        body.put("streamSid", streamSid);
        body.put("callSid", plan.callSid());
        body.putArray("tracks").add("inbound");
        final ObjectNode custom = body.putObject("customParameters");
        streamParameters.forEach((name, value) -> {
            if (plan.sendCallToken() || !"callToken".equals(name)) {
                custom.put(name, value);
            }
        });
        final ObjectNode format = body.putObject("mediaFormat");
        format.put("encoding", "audio/x-mulaw");
        format.put("sampleRate", 8000);
        format.put("channels", 1);
        start.put("streamSid", streamSid);
        send(text(start.toString()));
        stream.flush();
        t0 = System.nanoTime();
        ticking = true;
        ticker.add(sender);
    }

    /**
     * One 20 ms step, run by the loop's {@link MediaSendWheel} on this call's slot (absolute deadlines, no drift):
     * send, play out, flush once, hang up when the plan is done.
     */
    private void tick() {
        if (!ticking || !stream.isActive()) {
            ticker.remove(sender);
            return;
        }
        final long now = System.nanoTime();
        final int atMs = (int) (tickNo * 20);
        sendMedia(now);
        while (nextDtmf < plan.dtmf().size() && plan.dtmf().get(nextDtmf).atMs() <= atMs) {
            sendDtmf(plan.dtmf().get(nextDtmf++).digit());
        }
        playOut();
        stream.flush();
        tickNo++;
        final long planFrames = (plan.audio().durationMs() + plan.listenAfterMs()) / 20L;
        if (plan.hangUp() && tickNo >= planFrames) {
            sendStop();
            return;
        }
        if (!plan.hangUp() && tickNo >= planFrames + sim.closeTimeoutMs() / 20) {
            ticking = false;
            ticker.remove(sender);
            error = "gateway did not hang up within " + sim.closeTimeoutMs() + " ms after the plan ended";
            stream.close();
        }
    }

    /** Stops streaming and sends {@code stop}; the gateway then closes the WebSocket (or the close timeout fires). */
    private void sendStop() {
        ticking = false;
        ticker.remove(sender);
        stopSent = true;
        send(text("{\"event\":\"stop\",\"sequenceNumber\":\"" + (++sequenceNumber) + "\",\"stop\":{\"accountSid\":\""
            + sim.accountSid() + "\",\"callSid\":\"" + plan.callSid() + "\"},\"streamSid\":\"" + streamSid + "\"}"));
        stream.flush();
        closeTimeout = loop.schedule(this::onCloseTimeout, sim.closeTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the stream now, as Twilio does when the call leaves {@code <Connect><Stream>} (a REST update gave it new
     * TwiML): {@code stop}, then the close. Any thread; does nothing once the stream stopped or before it started.
     */
    void endStreamAsTwilio() {
        loop.execute(() -> {
            if (ticking && !stopSent && stream != null && stream.isActive()) {
                sendStop();
            }
        });
    }

    /** The plan's CallSid. */
    String callSid() {
        return plan.callSid();
    }

    /**
     * The media message of this tick, built as a whole masked WebSocket text frame in this call's scratch array (only
     * its numbers are new; the payload's base64 is copied) and copied into a pooled buffer in one go: no frame
     * object, no string, no second buffer for the masking, one operation on the pooled buffer.
     */
    private void sendMedia(final long now) {
        final long chunk = tickNo + 1;
        final int frameIndex = (int) Math.min(Integer.MAX_VALUE, tickNo);
        final byte[] out = scratch.byteArray();
        int at = put(out, WS_HEADER_BYTES, MEDIA_HEAD);
        at = putDecimal(out, at, ++sequenceNumber);
        at = put(out, at, MEDIA_CHUNK);
        at = putDecimal(out, at, chunk);
        at = put(out, at, MEDIA_TIMESTAMP);
        at = putDecimal(out, at, tickNo * 20);
        at = put(out, at, MEDIA_PAYLOAD);
        System.arraycopy(plan.audio().frameBase64(frameIndex), plan.audio().frameBase64Offset(frameIndex), out, at,
            SimulatedAudio.FRAME_BASE64_BYTES);
        at = put(out, at + SimulatedAudio.FRAME_BASE64_BYTES, mediaTail);
        sendFrame(at);
        framesSent++;
        sim.listener().onMediaSent(plan.callSid(), chunk, now);
    }

    /** Masks the payload in {@link #scratch} up to {@code payloadEnd} as a client frame and writes it. */
    private void sendFrame(final int payloadEnd) {
        final int start = maskedTextFrame(scratch, payloadEnd, ThreadLocalRandom.current().nextInt());
        if (stream.isActive() && !closeSent) {
            final ByteBuf frame = stream.alloc().buffer(payloadEnd - start);
            frame.writeBytes(scratch.byteArray(), start, payloadEnd - start);
            stream.write(frame, stream.voidPromise());
        }
    }

    /**
     * Turns the text payload in {@code frame} from {@link #WS_HEADER_BYTES} to {@code payloadEnd} into one client
     * frame in place (RFC 6455 §5.2: FIN, opcode 1, 7- or 16-bit length, masked with {@code maskKey} as §5.3 requires
     * of a client). The WebSocket encoder passes a {@link ByteBuf} through untouched, so this is what goes on the wire.
     *
     * @return where the frame starts (its header is shorter than the room reserved when the payload is short)
     * @throws IllegalArgumentException when the payload needs a 64-bit length (a bug: messages here are small)
     */
    static int maskedTextFrame(final UnsafeBuffer frame, final int payloadEnd, final int maskKey) {
        final int length = payloadEnd - WS_HEADER_BYTES;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("payload of " + length + " bytes needs a 64-bit length");
        }
        int at = WS_HEADER_BYTES - 4;
        frame.putInt(at, maskKey, ByteOrder.BIG_ENDIAN);
        if (length <= 125) {
            frame.putByte(--at, (byte) (0x80 | length));
        } else {
            at -= 2;
            frame.putShort(at, (short) length, ByteOrder.BIG_ENDIAN);
            frame.putByte(--at, (byte) (0x80 | 126));
        }
        frame.putByte(--at, (byte) 0x81);
        final long mask = (maskKey & 0xFFFFFFFFL) << 32 | (maskKey & 0xFFFFFFFFL);
        int i = WS_HEADER_BYTES;
        for (; i + 8 <= payloadEnd; i += 8) {
            frame.putLong(i, frame.getLong(i, ByteOrder.BIG_ENDIAN) ^ mask, ByteOrder.BIG_ENDIAN);
        }
        for (; i < payloadEnd; i++) {
            frame.putByte(i, (byte) (frame.getByte(i) ^ (maskKey >>> (24 - 8 * ((i - WS_HEADER_BYTES) & 3)))));
        }
        return at;
    }

    private static int put(final byte[] dst, final int at, final byte[] src) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    /** Writes {@code value} (>= 0) in decimal ASCII at {@code at}, without a string; returns the end. */
    static int putDecimal(final byte[] dst, final int at, final long value) {
        long divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        int i = at;
        for (; divisor > 0; divisor /= 10) {
            dst[i++] = (byte) ('0' + value / divisor % 10);
        }
        return i;
    }

    private void sendDtmf(final char digit) {
        send(text("{\"event\":\"dtmf\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"" + (++sequenceNumber)
            + "\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"" + digit + "\"}}"));
        dtmfSent++;
    }

    private void playOut() {
        final long buffered = playoutWritten - playoutRead;
        final int n = (int) Math.min(FRAME_BYTES, buffered);
        if (recordAudio) {
            final int from = (int) (playoutRead % playout.length);
            final int first = Math.min(n, playout.length - from);
            heard.write(playout, from, first);
            heard.write(playout, 0, n - first);
            for (int i = n; i < FRAME_BYTES; i++) {
                heard.write(MuLawCodec.INSTANCE.silenceByte());
            }
        }
        playoutRead += n;
        echoPlayedMarks();
    }

    private void echoPlayedMarks() {
        final Iterator<PendingMark> it = pendingMarks.iterator();
        while (it.hasNext()) {
            final PendingMark mark = it.next();
            if (mark.position() > playoutRead) {
                break;
            }
            echoMark(mark.name());
            it.remove();
        }
    }

    private void onGatewayMessage(final ByteBuf content) {
        final long now = System.nanoTime();
        final int length = content.readableBytes();
        if (content.hasMemoryAddress()) {
            view.wrap(content.memoryAddress() + content.readerIndex(), length);
        } else {
            view.wrap(ByteBufUtil.getBytes(content));
        }
        if (!message.wrap(view, 0, length) || message.escaped() || !message.streamSidEquals(streamSidBytes)) {
            violations++;
            return;
        }
        if (sim.strict() && !documentedShape(content)) {
            violations++;
        }
        switch (message.event()) {
            case MEDIA:
                onGatewayMedia(now);
                break;
            case MARK:
                marksReceived++;
                final byte[] name = new byte[Math.max(0, message.markNameLength())];
                view.getBytes(message.markNameOffset(), name);
                if (playoutWritten == playoutRead) {
                    // T-WSM: a mark is echoed at once when no audio is buffered.
                    echoMark(name);
                } else {
                    pendingMarks.add(new PendingMark(name, playoutWritten));
                }
                break;
            case CLEAR:
                clearTimesNs.add(now - t0);
                sim.listener().onClear(plan.callSid(), now);
                playoutRead = playoutWritten;
                // T-WSM: clear sends back every outstanding mark.
                while (!pendingMarks.isEmpty()) {
                    echoMark(pendingMarks.poll().name());
                }
                stream.flush();
                break;
            default:
                violations++;
                break;
        }
    }

    private void onGatewayMedia(final long now) {
        // The bytes themselves matter only to a recording and to strict checking; otherwise the count is enough.
        final int payloadLength = message.payloadLength();
        final int n = recordAudio || sim.strict()
            ? Base64Decoder.decode(view, message.payloadOffset(), Math.max(0, payloadLength), decodedBuffer, 0, decoded.length)
            : decodedLength(message.payloadOffset(), payloadLength);
        if (n < 0 || message.payloadLength() < 0) {
            violations++;
            return;
        }
        framesReceived++;
        bytesReceived += n;
        if (firstAudioNs < 0 && framesSent > 0) {
            firstAudioNs = now - t0;
        }
        sim.listener().onMediaReceived(plan.callSid(), n, now);
        final long capacity = (long) sim.playoutBufferMs() * SimulatedAudio.BYTES_PER_MS;
        final int accepted = (int) Math.min(capacity - (playoutWritten - playoutRead), n);
        overflows += n - accepted;
        if (recordAudio) {
            received.write(decoded, 0, n);
            final int at = (int) (playoutWritten % playout.length);
            final int first = Math.min(accepted, playout.length - at);
            System.arraycopy(decoded, 0, playout, at, first);
            System.arraycopy(decoded, first, playout, 0, accepted - first);
        }
        playoutWritten += accepted;
    }

    /** Bytes a base64 payload of {@code length} characters at {@code offset} of {@link #view} holds, -1 when malformed. */
    private int decodedLength(final int offset, final int length) {
        if (length < 0 || length % 4 != 0) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        final int padding = (view.getByte(offset + length - 1) == '=' ? 1 : 0) + (view.getByte(offset + length - 2) == '=' ? 1 : 0);
        return length / 4 * 3 - padding;
    }

    /** Checks the exact field set of a gateway message (T-WSM; extra fields earn Twilio's warning 31951). */
    private boolean documentedShape(final ByteBuf content) {
        try {
            final JsonNode root = JSON.readTree(ByteBufUtil.getBytes(content));
            final Set<String> top = fieldNames(root);
            switch (root.path("event").asText()) {
                case "media":
                    return top.equals(MEDIA_FIELDS) && fieldNames(root.get("media")).equals(Set.of("payload"))
                        && root.get("media").get("payload").isTextual();
                case "mark":
                    return top.equals(MARK_FIELDS) && fieldNames(root.get("mark")).equals(Set.of("name"))
                        && root.get("mark").get("name").isTextual();
                case "clear":
                    return top.equals(CLEAR_FIELDS);
                default:
                    return false;
            }
        } catch (final IOException ex) {
            return false;
        }
    }

    private static Set<String> fieldNames(final JsonNode node) {
        if (node == null || !node.isObject()) {
            return Collections.emptySet();
        }
        final Set<String> names = new TreeSet<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    /**
     * Echoes mark {@code name} (T-WSM: Twilio's echo carries a sequenceNumber). The name is as the gateway wrote it
     * between the quotes, with no escape (the flyweight rejects those), so it is valid JSON string text as it is.
     */
    private void echoMark(final byte[] name) {
        final int length = WS_HEADER_BYTES + MARK_HEAD.length + 20 + markSid.length + name.length + MARK_TAIL.length;
        if (scratch.capacity() < length) {
            // Only for a mark name longer than any media message: grows once, at that mark.
            scratch = new UnsafeBuffer(new byte[length]);
        }
        final byte[] out = scratch.byteArray();
        int at = put(out, WS_HEADER_BYTES, MARK_HEAD);
        at = putDecimal(out, at, ++sequenceNumber);
        at = put(out, at, markSid);
        at = put(out, at, name);
        sendFrame(put(out, at, MARK_TAIL));
        marksEchoed++;
    }

    private void onCloseTimeout() {
        if (stream != null && stream.isActive()) {
            error = "gateway did not close within " + sim.closeTimeoutMs() + " ms after stop";
            stream.close();
        }
    }

    private static TextWebSocketFrame text(final String json) {
        return new TextWebSocketFrame(json);
    }

    private void send(final TextWebSocketFrame msg) {
        if (stream != null && stream.isActive() && !closeSent) {
            stream.write(msg, stream.voidPromise());
        } else {
            msg.release();
        }
    }

    private void fail(final String why) {
        if (error == null) {
            error = why;
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        ticking = false;
        ticker.remove(sender);
        if (closeTimeout != null) {
            closeTimeout.cancel(false);
        }
        final byte[] recording = recordAudio ? heard.toByteArray() : new byte[0];
        if (plan.recording() != null && recording.length > 0) {
            try {
                SimulatedAudio.writeWav(plan.recording(), recording);
            } catch (final IOException ex) {
                if (error == null) {
                    error = "recording not written: " + ex.getMessage();
                }
            }
        }
        result.complete(new SimulatedCallResult(plan.callSid(), webhookStatus, streamUrl, streamParameters, upgradeStatus,
            framesSent, framesReceived, bytesReceived, firstAudioNs, marksReceived, marksEchoed,
            Collections.unmodifiableList(new ArrayList<>(clearTimesNs)), dtmfSent, violations, overflows, closeCode, closeReason,
            recording, recordAudio ? received.toByteArray() : new byte[0], error));
    }

    /** A mark to echo once playout reaches {@code position} (bytes ever queued when it arrived). */
    private record PendingMark(byte[] name, long position) {
    }
}
