package io.voxgate.app.cluster;

/**
 * One command executed on the node that runs the call (the admin API's {@code hang-up}, {@code describe},
 * {@code transfer} and {@code recording}, and the Vapi webhook's commands): it reaches the call only through the call's
 * command ring or its racily read statistics, and answers at once with the status and JSON body the asker gets.
 *
 * <p>Threading: called on the admin loop (a local call) or the cluster's subscriber thread (a forwarded one); never
 * waits.
 */
@FunctionalInterface
public interface LocalCallCommand {
    /**
     * Executes the command for call {@code callId} running here on {@code edge}.
     *
     * @param argument the command's argument as it was sent (a JSON text, or {@code null}), at most
     *                 {@link CallCommandRouter#MAX_ARGUMENT_CHARS} characters
     */
    CommandResult execute(String edge, String callId, String argument);
}
