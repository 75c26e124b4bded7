package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.agent.AgentEvent;
import java.io.IOException;

/**
 * Maps a JSON control message received on the Vapi transport socket to what the gateway does about it.
 *
 * <p>Which messages Vapi sends on the transport socket is not documented (protocols.md §5.3, §8 item 8); the
 * names and shapes assumed are those of Vapi's {@code ClientMessage*} schemas, read leniently: a missing
 * field is treated as absent, never as an error.
 * <ul>
 *   <li>{@code user-interrupted}, or {@code speech-update} with role {@code user} and status {@code started}:
 *       {@link Action#INTERRUPT}.</li>
 *   <li>{@code transcript} (final or untyped only; partials are counted and skipped), {@code model-output},
 *       other {@code speech-update}s, {@code status-update}s other than ended, and {@code hang} (Vapi's
 *       "assistant is slow to respond" notice, not a hang-up): {@link Action#EVENT}.</li>
 *   <li>{@code status-update} with status {@code ended}, or {@code end-call}: {@link Action#END}.</li>
 *   <li>{@code transfer-update} with a {@code number} or {@code sip} destination (Vapi's transfer tool):
 *       {@link Action#TRANSFER}; with an assistant destination: {@link Action#IGNORED}.</li>
 *   <li>Other types in Vapi's default client message set: {@link Action#IGNORED}; anything else
 *       {@link Action#UNKNOWN}; not a JSON object with a {@code type}: {@link Action#MALFORMED}.</li>
 * </ul>
 *
 * <p>Threading: one instance per socket, confined to its event loop; {@link #event()} is valid until the next
 * {@link #decode}. Messages are rare (a few per turn), so parsing into a tree is fine here.
 */
final class VapiControlDecoder {
    /** What to do about a message. */
    enum Action {
        /** The caller talked over the assistant: barge-in. */
        INTERRUPT,
        /** Pass {@link #event()} to the listener. */
        EVENT,
        /** Vapi ended the call; {@link #event()} carries the status. */
        END,
        /**
         * The assistant transfers the call to a number or SIP URI ({@code transfer-update} with such a destination):
         * {@link #transferTarget()} and {@link #transferAnnouncement()}; the target is not checked yet.
         */
        TRANSFER,
        /** A known message the gateway has no use for. */
        IGNORED,
        /** A message type the adapter does not know. */
        UNKNOWN,
        /** Not a JSON object with a textual {@code type}. */
        MALFORMED
    }

    private final ObjectMapper json;
    private AgentEvent event;
    private String transferTarget;
    private String transferAnnouncement;

    VapiControlDecoder(final ObjectMapper json) {
        this.json = json;
    }

    /** Classifies one UTF-8 message. */
    Action decode(final byte[] utf8) {
        event = null;
        transferTarget = null;
        transferAnnouncement = null;
        final JsonNode root;
        try {
            root = json.readTree(utf8);
        } catch (final IOException ex) {
            return Action.MALFORMED;
        }
        if (root == null || !root.isObject() || !root.path("type").isTextual()) {
            return Action.MALFORMED;
        }
        final String type = root.get("type").asText();
        switch (type) {
            case "user-interrupted":
                return Action.INTERRUPT;
            case "speech-update":
                return speechUpdate(root);
            case "transcript":
            case "transcript[transcriptType=\"final\"]":
                return transcript(root);
            case "model-output":
                event = new AgentEvent(AgentEvent.Kind.MODEL_OUTPUT, "assistant", textOf(root.path("output")));
                return Action.EVENT;
            case "status-update":
                return statusUpdate(root);
            case "end-call":
                event = new AgentEvent(AgentEvent.Kind.STATUS, "", "ended");
                return Action.END;
            case "hang":
                event = new AgentEvent(AgentEvent.Kind.STATUS, "assistant", "hang");
                return Action.EVENT;
            case "transfer-update":
                return transferUpdate(root.path("destination"));
            case "conversation-update":
            case "function-call":
            case "tool-calls":
            case "voice-input":
            case "workflow.node.started":
            case "assistant.started":
            case "assistant-started":
                return Action.IGNORED;
            default:
                return Action.UNKNOWN;
        }
    }

    /** The event of the last {@link Action#EVENT} or {@link Action#END}, else {@code null}. */
    AgentEvent event() {
        return event;
    }

    /** The target of the last {@link Action#TRANSFER}: {@code tel:} and the number, or the SIP URI as sent. */
    String transferTarget() {
        return transferTarget;
    }

    /** What the assistant says before the last {@link Action#TRANSFER} (its destination's message), or null. */
    String transferAnnouncement() {
        return transferAnnouncement;
    }

    /**
     * A {@code transfer-update}'s destination ({@code TransferDestinationNumber} or {@code TransferDestinationSip});
     * an assistant destination (a hand-over inside Vapi) or none is no transfer of the call.
     */
    private Action transferUpdate(final JsonNode destination) {
        final String target = VapiTransferDestination.targetOf(destination);
        if (target == null) {
            return Action.IGNORED;
        }
        transferTarget = target;
        final String announcement = VapiTransferDestination.announcementOf(destination);
        if (announcement != null) {
            transferAnnouncement = announcement;
        }
        return Action.TRANSFER;
    }

    private Action speechUpdate(final JsonNode root) {
        final String role = root.path("role").asText("");
        final String status = root.path("status").asText("");
        if ("user".equals(role) && "started".equals(status)) {
            return Action.INTERRUPT;
        }
        event = new AgentEvent(AgentEvent.Kind.STATUS, role, "speech-" + status);
        return Action.EVENT;
    }

    private Action transcript(final JsonNode root) {
        final String transcriptType = root.path("transcriptType").asText("final");
        if (!"final".equals(transcriptType)) {
            return Action.IGNORED;
        }
        final JsonNode text = root.has("transcript") ? root.get("transcript") : root.path("text");
        event = new AgentEvent(AgentEvent.Kind.TRANSCRIPT, root.path("role").asText(""), textOf(text));
        return Action.EVENT;
    }

    private Action statusUpdate(final JsonNode root) {
        final String status = root.path("status").asText("");
        final String endedReason = root.path("endedReason").asText("");
        event = new AgentEvent(AgentEvent.Kind.STATUS, "", endedReason.isEmpty() ? status : status + ": " + endedReason);
        return "ended".equals(status) ? Action.END : Action.EVENT;
    }

    private static String textOf(final JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isTextual() ? node.asText() : node.toString();
    }
}
