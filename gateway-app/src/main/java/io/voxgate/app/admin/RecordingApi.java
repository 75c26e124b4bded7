package io.voxgate.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.record.RecordingTap;
import io.voxgate.websocket.http.HttpResponses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /calls/{id}/recording {"action":"start|pause|resume|stop"}}: controls one call's recording. The action
 * goes to the call's own thread as a {@link CallCommand} through its command ring; the answer (202) says it was
 * queued. An action the recording's state makes impossible (start twice, resume what is not paused, anything after
 * stop, any action on a node started with {@code --record none}) is answered 409 and counted; the state is read racily,
 * so the call's thread checks again and counts what it still refuses ({@code CallStats.recordingRequestsRefused}).
 * A body that is not that JSON is 400, a full ring 503.
 *
 * <p>Threading: runs on the admin listener's loop; the counters are safe on any thread.
 */
public final class RecordingApi implements CallAction {
    /** The action's name under {@code /calls/{id}/}. */
    public static final String NAME = "recording";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRegistry registry;
    private final LongAdder requested = new LongAdder();
    private final LongAdder refusedConflict = new LongAdder();
    private final LongAdder refusedRingFull = new LongAdder();

    /** The API over {@code registry}'s calls. */
    public RecordingApi(final CallRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(final ChannelHandlerContext ctx, final FullHttpRequest request, final String edge,
                       final String callId) {
        if (!HttpMethod.POST.equals(request.method())) {
            send(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, error("POST {\"action\": ...}"));
            return;
        }
        final String action = actionOf(request);
        final CallCommand command = commandOf(action);
        if (command == null) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST,
                error("the body must be {\"action\": \"start\" | \"pause\" | \"resume\" | \"stop\"}"));
            return;
        }
        final CallStats stats = registry.stats(edge, callId);
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (stats == null || proxy == null) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, error("no such call"));
            return;
        }
        final RecordingTap tap = stats.recording();
        final RecordingTap.State state = tap == null ? RecordingTap.State.OFF : tap.state();
        if (tap == null || !possible(command, state)) {
            refusedConflict.increment();
            send(ctx, request, HttpResponseStatus.CONFLICT, error(tap == null
                ? "this node records no call (--record none)"
                : "cannot " + action + " a recording that is " + state.name().toLowerCase(Locale.ROOT)));
            return;
        }
        if (!proxy.offer(command)) {
            refusedRingFull.increment();
            send(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, error("the call is busy; try again"));
            return;
        }
        requested.increment();
        send(ctx, request, HttpResponseStatus.ACCEPTED, JSON.createObjectNode().put("id", callId).put("edge", edge)
            .put("action", action).put("path", tap.path()));
    }

    private static String actionOf(final FullHttpRequest request) {
        try {
            final JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            return body != null && body.path("action").isTextual() ? body.path("action").asText() : null;
        } catch (final IOException ex) {
            return null;
        }
    }

    private static CallCommand commandOf(final String action) {
        if (action == null) {
            return null;
        }
        switch (action) {
            case "start":
                return CallCommand.RECORDING_START;
            case "pause":
                return CallCommand.RECORDING_PAUSE;
            case "resume":
                return CallCommand.RECORDING_RESUME;
            case "stop":
                return CallCommand.RECORDING_STOP;
            default:
                return null;
        }
    }

    private static boolean possible(final CallCommand command, final RecordingTap.State state) {
        switch (command.kind()) {
            case RECORDING_START:
                return state == RecordingTap.State.OFF;
            case RECORDING_PAUSE:
                return state == RecordingTap.State.RECORDING;
            case RECORDING_RESUME:
                return state == RecordingTap.State.PAUSED;
            default:
                return state == RecordingTap.State.RECORDING || state == RecordingTap.State.PAUSED;
        }
    }

    private static ObjectNode error(final String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpRequest request,
                             final HttpResponseStatus status, final ObjectNode body) {
        HttpResponses.send(ctx, request, HttpResponses.of(status, HttpResponses.APPLICATION_JSON, body.toString() + "\n"));
    }

    /** Recording actions queued to a call. */
    public long requested() {
        return requested.sum();
    }

    /** Recording actions refused 409: impossible in the recording's state, or the node records nothing. */
    public long refusedConflict() {
        return refusedConflict.sum();
    }

    /** Recording actions refused 503 because the call's command ring was full. */
    public long refusedRingFull() {
        return refusedRingFull.sum();
    }
}
