package io.voxgate.sip;

import io.voxgate.sip.sdp.NegotiatedMedia;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The way into a SIP call's edge state from signalling threads: answered, media changed, ended, digits to send.
 * Commands go into a bounded lock-free many-to-one ring drained on the call's event loop by one preallocated
 * task (scheduled once per batch, as core's {@code CallCommandProxy} does for session commands).
 *
 * <p>Threading: {@link #offer} on any thread; commands run on the call's loop only. Commands are immutable.
 */
final class SipCallProxy {

    /** What the call is asked to do. */
    enum Kind {
        /** Offer/answer completed: start media and the session. */
        ANSWERED,
        /** A re-INVITE or UPDATE changed direction or address. */
        MEDIA_CHANGED,
        /** The caller's side ended the call. */
        ENDED,
        /** The gateway ends the call (shutdown, admin). */
        HANG_UP,
        /** Send RFC 4733 digits to the caller. */
        DIGITS
    }

    /** One command. */
    static final class Command {
        final Kind kind;
        final NegotiatedMedia media;
        final String text;

        Command(final Kind kind, final NegotiatedMedia media, final String text) {
            this.kind = kind;
            this.media = media;
            this.text = text;
        }
    }

    /** Applies commands on the call's loop. */
    interface Handler {
        void onCommand(Command command);
    }

    private final ManyToOneConcurrentArrayQueue<Command> ring;
    private final Executor loop;
    private final Handler handler;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final AtomicLong commandsRejected = new AtomicLong();

    SipCallProxy(final int capacity, final Executor loop, final Handler handler) {
        this.ring = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.loop = loop;
        this.handler = handler;
    }

    /** Queues a command; false (counted) when the ring is full or the loop is shut down. */
    boolean offer(final Command command) {
        if (!ring.offer(command)) {
            commandsRejected.incrementAndGet();
            return false;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (final RejectedExecutionException ex) {
                drainScheduled.set(false);
                commandsRejected.incrementAndGet();
                return false;
            }
        }
        return true;
    }

    private void drain() {
        do {
            Command c;
            while ((c = ring.poll()) != null) {
                handler.onCommand(c);
            }
            drainScheduled.set(false);
        } while (!ring.isEmpty() && drainScheduled.compareAndSet(false, true));
    }

    /** Commands refused. */
    long commandsRejected() {
        return commandsRejected.get();
    }
}
