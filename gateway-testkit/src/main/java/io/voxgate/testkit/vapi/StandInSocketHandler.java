package io.voxgate.testkit.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One stand-in transport socket: records what the client sends and plays the call's {@link StandInScript}.
 *
 * <p>Threading: runs on the stand-in's event loop. Ownership: frames are released by
 * {@link SimpleChannelInboundHandler}; received close frames are retained to be echoed.
 */
final class StandInSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GREETING_MS = 600;
    private static final int LONG_UTTERANCE_MS = 3_000;
    private static final String GREETING_TEXT = "Hello from the Vapi stand-in.";

    private final StandInCall call;
    private final WebSocketServerHandshaker handshaker;
    private final boolean mulaw;
    private final int bytesPerFrame;
    private long speakingUntilNs;
    private boolean interruptSent;
    private boolean ended;

    StandInSocketHandler(final StandInCall call, final WebSocketServerHandshaker handshaker) {
        this.call = call;
        this.handshaker = handshaker;
        this.mulaw = call.audioFormat().startsWith("mulaw");
        final int sampleRate = Integer.parseInt(call.audioFormat().substring(call.audioFormat().indexOf('/') + 1));
        this.bytesPerFrame = sampleRate / 50 * (mulaw ? 1 : 2);
    }

    /** The socket is open: start the script. */
    void start(final Channel ch) {
        switch (call.script().mode()) {
            case SPEAK_THEN_LISTEN:
                send(ch, "{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"assistant\",\"turn\":0}");
                speak(ch, GREETING_MS);
                send(ch, "{\"type\":\"model-output\",\"output\":\"" + GREETING_TEXT + "\",\"turnId\":\"turn-0\"}");
                send(ch, "{\"type\":\"transcript\",\"role\":\"assistant\",\"transcriptType\":\"final\",\"transcript\":\""
                    + GREETING_TEXT + "\"}");
                send(ch, "{\"type\":\"speech-update\",\"status\":\"stopped\",\"role\":\"assistant\",\"turn\":0}");
                break;
            case INTERRUPT:
                send(ch, "{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"assistant\",\"turn\":0}");
                speak(ch, LONG_UTTERANCE_MS);
                speakingUntilNs = System.nanoTime() + LONG_UTTERANCE_MS * 1_000_000L;
                break;
            default:
                break;
        }
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            onAudio(ctx, frame);
        } else if (frame instanceof TextWebSocketFrame) {
            onControl(((TextWebSocketFrame) frame).text());
        } else if (frame instanceof CloseWebSocketFrame) {
            final CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
            call.closeFrameReceived(close.statusCode());
            handshaker.close(ctx.channel(), close.retain());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        call.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ctx.close();
    }

    private void onAudio(final ChannelHandlerContext ctx, final WebSocketFrame frame) {
        final byte[] audio = ByteBufUtil.getBytes(frame.content());
        final long frames = call.audioReceived(audio, 0, audio.length);
        final StandInScript script = call.script();
        if (ended) {
            return;
        }
        if (script.dropAfterFrames() > 0 && frames >= script.dropAfterFrames()) {
            ended = true;
            ctx.channel().close();
            return;
        }
        if (script.endAfterFrames() > 0 && frames >= script.endAfterFrames()) {
            ended = true;
            send(ctx.channel(), "{\"type\":\"status-update\",\"status\":\"ended\",\"endedReason\":\"assistant-ended-call\"}");
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "call ended"));
            return;
        }
        switch (script.mode()) {
            case ECHO:
            case SPEAK_THEN_LISTEN:
                call.audioSent(audio.length);
                ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio)));
                break;
            case INTERRUPT:
                if (!interruptSent && System.nanoTime() < speakingUntilNs
                    && StandInAudio.meanAbs(mulaw, audio, 0, audio.length) >= StandInAudio.SPEECH_ENERGY) {
                    interruptSent = true;
                    send(ctx.channel(), "{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"user\",\"turn\":1}");
                    send(ctx.channel(), "{\"type\":\"user-interrupted\",\"turnId\":\"turn-0\"}");
                }
                break;
            default:
                break;
        }
    }

    private void onControl(final String json) {
        String type = "";
        try {
            final JsonNode node = JSON.readTree(json);
            if (node != null && node.path("type").isTextual()) {
                type = node.get("type").asText();
            }
        } catch (final IOException ex) {
            type = "malformed";
        }
        call.controlReceived(type, json);
    }

    private void speak(final Channel ch, final int durationMs) {
        final int rate = Integer.parseInt(call.audioFormat().substring(call.audioFormat().indexOf('/') + 1));
        final byte[] utterance = StandInAudio.utterance(mulaw, rate, durationMs);
        for (int at = 0; at < utterance.length; at += bytesPerFrame) {
            final int length = Math.min(bytesPerFrame, utterance.length - at);
            call.audioSent(length);
            ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(utterance, at, length)));
        }
        ch.flush();
    }

    private static void send(final Channel ch, final String json) {
        ch.writeAndFlush(new TextWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)));
    }
}
