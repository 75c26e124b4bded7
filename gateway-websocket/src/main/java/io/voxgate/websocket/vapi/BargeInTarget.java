package io.voxgate.websocket.vapi;

/**
 * A call on this node that can be told to barge in, as the webhook endpoint sees it. The launcher adapts the
 * call's command proxy to it, so the barge-in crosses to the call's thread through a bounded ring.
 *
 * <p>Threading: called on the webhook's HTTP thread, never the call's; implementations only hand the command
 * over.
 */
@FunctionalInterface
public interface BargeInTarget {

    /**
     * Offers a barge-in (drop the agent audio not yet heard) to the call.
     *
     * @return false when the call could not take the command (its ring is full or the call has ended)
     */
    boolean offerBargeIn();
}
