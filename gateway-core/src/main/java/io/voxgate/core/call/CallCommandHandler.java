package io.voxgate.core.call;

/**
 * Applies the commands of one {@link CallCommandProxy} on the call's thread: the core session's
 * {@link CallCommand}s, or an edge's own commands (SIP answered, media changed, digits).
 *
 * <p>Threading: invoked only on the call's thread, by the proxy's drain task.
 *
 * @param <C> the command type, immutable
 */
public interface CallCommandHandler<C> {

    /** Applies {@code command} at {@code nowNs} (read once per drain, from the proxy's clock). */
    void onCommand(C command, long nowNs);

    /**
     * {@link #onCommand} threw (a bug): end the call. Called once per proxy, for the first command that threw; the
     * proxy has counted and logged it and goes on applying the commands behind it, which find the call ended.
     */
    void onCommandFailed(C command, RuntimeException failure, long nowNs);
}
