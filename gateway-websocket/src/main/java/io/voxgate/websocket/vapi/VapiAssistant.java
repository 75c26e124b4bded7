package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which Vapi assistant takes a call: a saved one by id ({@code assistantId}) or a transient one given inline
 * ({@code assistant}), the two shapes both {@code POST /call} and the {@code assistant-request} answer accept
 * (protocols.md §5.1, §5.5).
 *
 * <p>Immutable; safe on any thread ({@link #inlineJson()} hands out copies).
 */
public final class VapiAssistant {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final ObjectNode inline;

    private VapiAssistant(final String id, final ObjectNode inline) {
        this.id = id;
        this.inline = inline;
    }

    /**
     * A saved assistant.
     *
     * @throws IllegalArgumentException naming {@code optionName} when the id is blank
     */
    public static VapiAssistant byId(final String assistantId, final String optionName) {
        if (assistantId == null || assistantId.isBlank()) {
            throw new IllegalArgumentException(optionName + " must name a Vapi assistant id, was empty");
        }
        return new VapiAssistant(assistantId.trim(), null);
    }

    /**
     * A transient assistant from its JSON object.
     *
     * @throws IllegalArgumentException naming {@code optionName} when the text is not a JSON object
     */
    public static VapiAssistant inline(final String assistantJson, final String optionName) {
        final JsonNode node;
        try {
            node = JSON.readTree(assistantJson == null ? "" : assistantJson);
        } catch (final JsonProcessingException ex) {
            throw new IllegalArgumentException(optionName + " is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(optionName + " must be a JSON object describing a Vapi assistant");
        }
        return new VapiAssistant(null, (ObjectNode) node);
    }

    /** Whether this is a saved assistant named by {@link #id()}. */
    public boolean isSaved() {
        return id != null;
    }

    /** The saved assistant's id, or {@code null} for an inline one. */
    public String id() {
        return id;
    }

    /** A copy of the inline assistant's JSON, or {@code null} for a saved one. */
    public ObjectNode inlineJson() {
        return inline == null ? null : inline.deepCopy();
    }

    /** Adds {@code assistantId} or {@code assistant} to {@code target}. */
    void writeTo(final ObjectNode target) {
        if (id != null) {
            target.put("assistantId", id);
        } else {
            target.set("assistant", inline.deepCopy());
        }
    }

    @Override
    public String toString() {
        return id != null ? "assistantId=" + id : "inline assistant";
    }
}
