package io.voxgate.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.app.cluster.CommandResult;
import io.voxgate.app.cluster.LocalCallCommand;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /calls/{id}/recording {"action":"start|pause|resume|stop"}}: controls one call's recording. The action
 * goes to the call's own thread as a {@link CallCommand} through its command ring; the answer (202) says it was
 * queued. An action the recording's state makes impossible (start twice, resume what is not paused, anything after
 * stop, any action on a node started with {@code --record none}) is answered 409 and counted; the state is read racily,
 * so the call's thread checks again and counts what it still refuses ({@code CallStats.recordingRequestsRefused}).
 * A body that is not that JSON is 400, a full ring 503. The calls API runs it on the node that runs the call (in a
 * cluster, through the router), with the request's body.
 *
 * <p>Threading: runs on the admin listener's loop or the cluster's subscriber thread; the counters are safe on any
 * thread.
 */
public final class RecordingApi implements LocalCallCommand {
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
    public CommandResult execute(final String edge, final String callId, final String body) {
        final String action = actionOf(body);
        final CallCommand command = commandOf(action);
        if (command == null) {
            return CommandResult.error(400, "the body must be {\"action\": \"start\" | \"pause\" | \"resume\" | \"stop\"}");
        }
        final CallStats stats = registry.stats(edge, callId);
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (stats == null || proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        final RecordingTap tap = stats.recording();
        final RecordingTap.State state = tap == null ? RecordingTap.State.OFF : tap.state();
        if (tap == null || !possible(command, state)) {
            refusedConflict.increment();
            return CommandResult.error(409, tap == null
                ? "this node records no call (--record none)"
                : "cannot " + action + " a recording that is " + state.name().toLowerCase(Locale.ROOT));
        }
        if (!proxy.offer(command)) {
            refusedRingFull.increment();
            return CommandResult.error(503, "the call is busy; try again");
        }
        requested.increment();
        return new CommandResult(202, JSON.createObjectNode().put("id", callId).put("edge", edge)
            .put("action", action).put("path", tap.path()).toString());
    }

    private static String actionOf(final String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            final JsonNode body = JSON.readTree(text);
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
