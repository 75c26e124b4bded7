package io.voxgate.core.call;

/**
 * Applies commands on the call's thread; implemented by the call that owns a {@link CallCommandProxy}.
 *
 * <p>Threading: invoked only on the call's thread, by the proxy's drain task.
 */
@FunctionalInterface
interface CallCommandHandler {

    /** Applies {@code command} at {@code nowNs}. */
    void onCommand(CallCommand command, long nowNs);
}
