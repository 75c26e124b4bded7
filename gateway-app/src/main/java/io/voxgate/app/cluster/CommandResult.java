package io.voxgate.app.cluster;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * The answer to a command for one call, wherever it ran: an HTTP status and a JSON body, passed back unchanged from
 * the owning node to the node the operator asked.
 *
 * @param status the HTTP status (202 queued, 404 no such call, 503 busy, 504 the owner did not answer in time)
 * @param body   a JSON object, one line
 * <p>Immutable; safe on any thread.
 */
public record CommandResult(int status, String body) {
    /** No node runs the call. */
    public static final CommandResult NO_SUCH_CALL = error(404, "no such call");

    /** Validates the body. */
    public CommandResult {
        Objects.requireNonNull(body, "body");
    }

    /** An error answer {@code {"error": message}} ({@code message} is a text of ours, never input; quotes are escaped). */
    public static CommandResult error(final int status, final String message) {
        return new CommandResult(status, JsonNodeFactory.instance.objectNode().put("error", message).toString());
    }
}
