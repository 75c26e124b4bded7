package io.voxgate.app.cluster;

/**
 * One operator command executed on the node that runs the call ({@code hang-up}, {@code describe}, and the transfer
 * and recording commands as they come): it reaches the call only through the call's command ring or its racily read
 * statistics, and answers at once.
 *
 * <p>Threading: called on the admin loop (a local call) or the cluster's subscriber thread (a forwarded one); never
 * waits.
 */
@FunctionalInterface
public interface LocalCallCommand {
    /**
     * Executes the command for call {@code callId} running here on {@code edge}.
     *
     * @param argument the command's argument as the operator sent it (a JSON text, or {@code null}), bounded by the
     *                 admin listener's request limits
     */
    CommandResult execute(String edge, String callId, String argument);
}
