package io.voxgate.websocket.twilio.simulator;

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
import io.voxgate.websocket.twilio.Base64Decoder;
import io.voxgate.websocket.twilio.Base64Encoder;
import io.voxgate.websocket.twilio.MediaMessageFlyweight;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
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
    private static final int FRAME_BYTES = 160;
    private static final long FRAME_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Set<String> MEDIA_FIELDS = Set.of("event", "streamSid", "media");
    private static final Set<String> MARK_FIELDS = Set.of("event", "streamSid", "mark");
    private static final Set<String> CLEAR_FIELDS = Set.of("event", "streamSid");

    private final TwilioCallSimulator sim;
    private final CallPlan plan;
    private final EventLoop loop;
    private final CompletableFuture<SimulatedCallResult> result = new CompletableFuture<>();
    private final String streamSid = CallPlan.randomSid("MZ");
    private final byte[] streamSidBytes = streamSid.getBytes(StandardCharsets.US_ASCII);
    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[] frame = new byte[FRAME_BYTES];
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(frame);
    private final byte[] decoded = new byte[65_536];
    private final UnsafeBuffer decodedBuffer = new UnsafeBuffer(decoded);
    private final byte[] playout;
    private final ArrayDeque<PendingMark> pendingMarks = new ArrayDeque<>();
    private final ByteArrayOutputStream heard = new ByteArrayOutputStream();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
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
        this.playout = new byte[sim.playoutBufferMs() * SimulatedAudio.BYTES_PER_MS];
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
        tick();
    }

    /** One 20 ms step on an absolute deadline: send, play out, hang up when the plan is done. */
    private void tick() {
        if (!ticking || !stream.isActive()) {
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
            ticking = false;
            stopSent = true;
            send(text("{\"event\":\"stop\",\"sequenceNumber\":\"" + (++sequenceNumber) + "\",\"stop\":{\"accountSid\":\""
                + sim.accountSid() + "\",\"callSid\":\"" + plan.callSid() + "\"},\"streamSid\":\"" + streamSid + "\"}"));
            stream.flush();
            closeTimeout = loop.schedule(this::onCloseTimeout, sim.closeTimeoutMs(), TimeUnit.MILLISECONDS);
            return;
        }
        if (!plan.hangUp() && tickNo >= planFrames + sim.closeTimeoutMs() / 20) {
            ticking = false;
            error = "gateway did not hang up within " + sim.closeTimeoutMs() + " ms after the plan ended";
            stream.close();
            return;
        }
        final long delayNs = t0 + tickNo * FRAME_NS - System.nanoTime();
        loop.schedule(this::tick, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
    }

    private void sendMedia(final long now) {
        final int offset = (int) (tickNo * FRAME_BYTES);
        final int available = Math.max(0, Math.min(FRAME_BYTES, plan.audio().length() - offset));
        if (available > 0) {
            plan.audio().copy(offset, frame, available);
        }
        Arrays.fill(frame, available, FRAME_BYTES, MuLawCodec.ZERO_CODE);
        final long chunk = tickNo + 1;
        final ByteBuf buf = stream.alloc().buffer(400);
        buf.writeCharSequence("{\"event\":\"media\",\"sequenceNumber\":\"" + (++sequenceNumber)
            + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + (tickNo * 20)
            + "\",\"payload\":\"", StandardCharsets.US_ASCII);
        Base64Encoder.encode(frameBuffer, 0, FRAME_BYTES, buf);
        buf.writeCharSequence("\"},\"streamSid\":\"" + streamSid + "\"}", StandardCharsets.US_ASCII);
        send(new TextWebSocketFrame(buf));
        framesSent++;
        sim.listener().onMediaSent(plan.callSid(), chunk, now);
    }

    private void sendDtmf(final char digit) {
        send(text("{\"event\":\"dtmf\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"" + (++sequenceNumber)
            + "\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"" + digit + "\"}}"));
        dtmfSent++;
    }

    private void playOut() {
        final long buffered = playoutWritten - playoutRead;
        final int n = (int) Math.min(FRAME_BYTES, buffered);
        for (int i = 0; i < n; i++) {
            heard.write(playout[(int) ((playoutRead + i) % playout.length)]);
        }
        for (int i = n; i < FRAME_BYTES; i++) {
            heard.write(MuLawCodec.ZERO_CODE);
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
                final String name = view.getStringWithoutLengthAscii(message.markNameOffset(), Math.max(0, message.markNameLength()));
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
        final int n = Base64Decoder.decode(view, message.payloadOffset(), Math.max(0, message.payloadLength()),
            decodedBuffer, 0, decoded.length);
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
        received.write(decoded, 0, n);
        final int room = (int) (playout.length - (playoutWritten - playoutRead));
        final int accepted = Math.min(room, n);
        overflows += n - accepted;
        for (int i = 0; i < accepted; i++) {
            playout[(int) ((playoutWritten + i) % playout.length)] = decoded[i];
        }
        playoutWritten += accepted;
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

    private void echoMark(final String name) {
        final ObjectNode mark = JSON.createObjectNode();
        mark.put("event", "mark");
        mark.put("sequenceNumber", Long.toString(++sequenceNumber));
        mark.put("streamSid", streamSid);
        mark.putObject("mark").put("name", name);
        send(text(mark.toString()));
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
        if (closeTimeout != null) {
            closeTimeout.cancel(false);
        }
        final byte[] recording = heard.toByteArray();
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
            recording, received.toByteArray(), error));
    }

    /** A mark to echo once playout reaches {@code position} (bytes ever queued when it arrived). */
    private record PendingMark(String name, long position) {
    }
}
