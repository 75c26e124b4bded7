package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Vapi's transfer destinations ({@code TransferDestinationNumber}, {@code TransferDestinationSip}) to and from the
 * gateway's transfer targets: a {@code number} destination is {@code tel:} and the number, a {@code sip} destination
 * its {@code sipUri}; a destination's {@code message} (a string, or an object with {@code content}) is the
 * announcement. Read from the socket's {@code transfer-update} and the webhook's {@code phone-call-control}; written
 * as the answer to {@code transfer-destination-request} ({@code {"destination": {...}}}, protocols.md §5.5).
 *
 * <p>Stateless; safe on any thread. Targets read here are not checked: the call checks them
 * ({@code TransferRequest.of}) before anything is sent.
 */
public final class VapiTransferDestination {
    /** The answer to {@code transfer-destination-request} with no destination: Vapi's documented "do not transfer". */
    public static final String NONE =
        "{\"error\":\"No transfer destination is configured here; name it in the transferCall tool's destinations.\"}";

    private VapiTransferDestination() {
    }

    /** The target {@code destination} names ({@code tel:…} or the SIP URI), or null for any other destination. */
    static String targetOf(final JsonNode destination) {
        final String type = destination.path("type").asText("");
        if ("number".equals(type) && destination.path("number").isTextual()) {
            return "tel:" + destination.get("number").asText();
        }
        if ("sip".equals(type) && destination.path("sipUri").isTextual()) {
            return destination.get("sipUri").asText();
        }
        return null;
    }

    /** What {@code destination} says to the caller first (its {@code message}), or null. */
    static String announcementOf(final JsonNode destination) {
        final JsonNode message = destination.path("message");
        if (message.isTextual()) {
            return message.asText();
        }
        return message.path("content").isTextual() ? message.get("content").asText() : null;
    }

    /**
     * The answer to {@code transfer-destination-request} sending the caller to {@code target}, a checked {@code tel:},
     * {@code sip:} or {@code sips:} URI: {@code {"destination": {"type": "number", "number": "+1…"}}} (the visual
     * separators and parameters of a {@code tel:} URI dropped: Vapi wants E.164) or
     * {@code {"destination": {"type": "sip", "sipUri": "sip:…"}}}.
     */
    public static String answer(final String target) {
        final ObjectNode answer = JsonNodeFactory.instance.objectNode();
        final ObjectNode destination = answer.putObject("destination");
        if (target.toLowerCase(Locale.ROOT).startsWith("tel:")) {
            final int parameters = target.indexOf(';');
            final String number = target.substring("tel:".length(), parameters < 0 ? target.length() : parameters);
            destination.put("type", "number").put("number", number.replaceAll("[-.()]", ""));
        } else {
            destination.put("type", "sip").put("sipUri", target);
        }
        return answer.toString();
    }
}
