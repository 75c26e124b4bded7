package io.voxgate.app.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.sip.SipEdge;
import io.voxgate.websocket.twilio.TwilioEdge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Routes a command for a call (the admin API's hang-up, describe, transfer and recording, and what Vapi's server-URL
 * messages ask of a call) to the node that runs the call, and brings its answer back.
 *
 * <p>A call running here is commanded here. Otherwise, in a cluster, its owner is read from Redis
 * ({@code voxgate:call:{edge}:{id}}, edges in {@link #EDGES} order) and the command is published on the owner's
 * channel {@code voxgate:commands:{node}} with this node's reply channel; the owner executes it through the same
 * {@link LocalCallCommand} (so through the call's command ring) and publishes the result, which completes the
 * request here. No owner: 404. An owner with no subscriber (a dead node whose keys have not expired yet) or no answer
 * within the command timeout: 504. Redis unreachable: 503.
 *
 * <p>Commands plug in by name with {@link #register}; a node executes only the commands it registered (an unknown
 * forwarded one is answered 501).
 *
 * <p>Threading: {@link #dispatch} on any thread (the admin loop); the result completes on the admin loop (local), the
 * Redis link's thread or the subscriber thread ({@code voxgate-cluster-sub}). Registration before {@link #start}.
 */
public final class CallCommandRouter implements AutoCloseable {
    /** Edges searched for a call id, in order: an id both edges share names the Twilio call. */
    public static final List<String> EDGES = List.of(TwilioEdge.EDGE, SipEdge.EDGE);
    private static final Logger LOG = LoggerFactory.getLogger(CallCommandRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest argument a command carries: the admin API's body limit. */
    public static final int MAX_ARGUMENT_CHARS = 4_096;
    /**
     * Forwarded messages are small: ids and an argument of at most {@value #MAX_ARGUMENT_CHARS} characters, which JSON
     * escaping can grow six-fold ({@code \u0000}); anything longer is not ours and is dropped.
     */
    private static final int MAX_MESSAGE_CHARS = 32_768;
    private static final long RESUBSCRIBE_MS = 500;

    private final CallRegistry registry;
    private final ClusterSettings settings;
    private final RedisLink link;
    private final Map<String, LocalCallCommand> commands = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<CommandResult>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequest = new AtomicLong();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder forwardTimeouts = new LongAdder();
    private final LongAdder forwardUnreachable = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    private final Subscriber subscriber = new Subscriber();
    private volatile boolean closed;
    private volatile boolean subscribed;
    private Thread subscriberThread;

    /**
     * A router over the node's {@code registry}: local only when {@code settings} and {@code link} are {@code null},
     * else across the cluster.
     */
    public CallCommandRouter(final CallRegistry registry, final ClusterSettings settings, final RedisLink link) {
        this.registry = registry;
        this.settings = settings;
        this.link = link;
    }

    /** Makes {@code command} available under {@code name}, here and to other nodes; before {@link #start}. */
    public CallCommandRouter register(final String name, final LocalCallCommand command) {
        if (commands.putIfAbsent(name, command) != null) {
            throw new IllegalStateException("command " + name + " is registered twice");
        }
        return this;
    }

    /** Starts receiving forwarded commands and answers (cluster only). */
    public void start() {
        if (link == null) {
            return;
        }
        subscriberThread = new Thread(this::subscribeUntilClosed, "voxgate-cluster-sub");
        subscriberThread.setDaemon(true);
        subscriberThread.start();
    }

    /** The edge call {@code callId} runs on here, or {@code null}. */
    public String localEdge(final String callId) {
        for (final String edge : EDGES) {
            if (registry.stats(edge, callId) != null) {
                return edge;
            }
        }
        return null;
    }

    /**
     * Executes command {@code name} for call {@code callId} on the node that runs it.
     *
     * @param argument the command's argument (a JSON text, or {@code null}); one longer than
     *                 {@value #MAX_ARGUMENT_CHARS} characters is answered 413 and goes nowhere
     * @throws IllegalArgumentException when no command {@code name} is registered (a programming error)
     */
    public CompletableFuture<CommandResult> dispatch(final String name, final String callId, final String argument) {
        final LocalCallCommand command = commands.get(name);
        if (command == null) {
            throw new IllegalArgumentException("no command " + name);
        }
        if (argument != null && argument.length() > MAX_ARGUMENT_CHARS) {
            return CompletableFuture.completedFuture(CommandResult.error(413, "the request body is too large"));
        }
        final String edge = localEdge(callId);
        if (edge != null) {
            return CompletableFuture.completedFuture(command.execute(edge, callId, argument));
        }
        if (link == null) {
            return CompletableFuture.completedFuture(CommandResult.NO_SUCH_CALL);
        }
        return link.submit(jedis -> forward(jedis, name, callId, argument))
            .thenCompose(answer -> answer)
            .exceptionally(CallCommandRouter::failure);
    }

    private static CommandResult failure(final Throwable thrown) {
        final Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (cause instanceof TimeoutException) {
            return CommandResult.error(504, "the node running the call did not answer in time");
        }
        return CommandResult.error(503, "cluster state unreachable; try again");
    }

    /** On the link's thread: finds the owner and publishes the request, or answers at once. */
    private CompletableFuture<CommandResult> forward(final Jedis jedis, final String name, final String callId,
                                                     final String argument) {
        for (final String edge : EDGES) {
            final String owner = jedis.get(ClusterKeys.call(edge, callId));
            if (owner == null) {
                continue;
            }
            if (owner.equals(settings.nodeId())) {
                // Ended (or just admitted) since the local look-up: the local answer is the true one.
                final String here = localEdge(callId);
                return CompletableFuture.completedFuture(here == null ? CommandResult.NO_SUCH_CALL
                    : commands.get(name).execute(here, callId, argument));
            }
            final String requestId = settings.nodeId() + "-" + nextRequest.incrementAndGet();
            final ObjectNode request = JSON.createObjectNode().put("id", requestId).put("from", settings.nodeId())
                .put("command", name).put("edge", edge).put("call", callId);
            if (argument != null) {
                request.put("argument", argument);
            }
            final CompletableFuture<CommandResult> answer = new CompletableFuture<>();
            pending.put(requestId, answer);
            final long receivers = jedis.publish(ClusterKeys.commands(owner), request.toString());
            if (receivers == 0) {
                pending.remove(requestId);
                forwardUnreachable.increment();
                return CompletableFuture.completedFuture(CommandResult.error(504, "the node running the call is unreachable"));
            }
            forwarded.increment();
            return answer.orTimeout(settings.commandTimeoutMs(), TimeUnit.MILLISECONDS).whenComplete((result, thrown) -> {
                if (pending.remove(requestId) != null && thrown instanceof TimeoutException) {
                    forwardTimeouts.increment();
                }
            });
        }
        return CompletableFuture.completedFuture(CommandResult.NO_SUCH_CALL);
    }

    private void subscribeUntilClosed() {
        while (!closed) {
            try (Jedis connection = RedisLink.connect(link.endpoint(), 0)) {
                connection.subscribe(subscriber, ClusterKeys.commands(settings.nodeId()), ClusterKeys.replies(settings.nodeId()));
            } catch (final JedisException ex) {
                subscribed = false;
                if (!closed) {
                    LOG.debug("cluster: command channel lost ({}); subscribing again", ex.getMessage());
                    try {
                        Thread.sleep(RESUBSCRIBE_MS);
                    } catch (final InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    /** Receives commands for this node's calls and answers to its own forwarded commands. */
    private final class Subscriber extends JedisPubSub {
        @Override
        public void onSubscribe(final String channel, final int subscribedChannels) {
            if (subscribedChannels == 2) {
                subscribed = true;
            }
        }

        @Override
        public void onMessage(final String channel, final String message) {
            if (message.length() > MAX_MESSAGE_CHARS) {
                messagesDropped.increment();
                return;
            }
            final JsonNode json;
            try {
                json = JSON.readTree(message);
            } catch (final JsonProcessingException ex) {
                messagesDropped.increment();
                return;
            }
            if (channel.equals(ClusterKeys.replies(settings.nodeId()))) {
                final CompletableFuture<CommandResult> answer = pending.get(json.path("id").asText());
                if (answer != null) {
                    answer.complete(new CommandResult(json.path("status").asInt(500), json.path("body").asText("{}")));
                }
                return;
            }
            executeForwarded(json);
        }
    }

    private void executeForwarded(final JsonNode request) {
        final String from = request.path("from").asText("");
        final String callId = request.path("call").asText("");
        final String edge = request.path("edge").asText("");
        if (from.isEmpty() || callId.isEmpty() || !EDGES.contains(edge)) {
            messagesDropped.increment();
            return;
        }
        received.increment();
        final LocalCallCommand command = commands.get(request.path("command").asText(""));
        final CommandResult result;
        if (command == null) {
            result = CommandResult.error(501, "command not supported by the node running the call");
        } else if (registry.stats(edge, callId) == null) {
            result = CommandResult.NO_SUCH_CALL;
        } else {
            final JsonNode argument = request.get("argument");
            result = command.execute(edge, callId, argument == null ? null : argument.asText());
        }
        final String reply = JSON.createObjectNode().put("id", request.path("id").asText(""))
            .put("status", result.status()).put("body", result.body()).toString();
        link.submit(jedis -> jedis.publish(ClusterKeys.replies(from), reply));
    }

    /** Whether the node listens for forwarded commands now (always {@code true} without a cluster). */
    public boolean listening() {
        return link == null || subscribed;
    }

    /** Commands sent to the node that owns the call. */
    public long forwarded() {
        return forwarded.sum();
    }

    /** Forwarded commands whose answer did not come within the command timeout (answered 504). */
    public long forwardTimeouts() {
        return forwardTimeouts.sum();
    }

    /** Commands whose owner had no listener (a dead node not yet expired; answered 504). */
    public long forwardUnreachable() {
        return forwardUnreachable.sum();
    }

    /** Commands other nodes forwarded here. */
    public long received() {
        return received.sum();
    }

    /** Messages on this node's channels that were not ours (malformed, too long) and were dropped. */
    public long messagesDropped() {
        return messagesDropped.sum();
    }

    @Override
    public void close() {
        closed = true;
        if (subscribed) {
            try {
                subscriber.unsubscribe();
            } catch (final JedisException ex) {
                LOG.debug("cluster: unsubscribe failed ({}); the connection closes with the thread", ex.getMessage());
            }
        }
        if (subscriberThread != null) {
            subscriberThread.interrupt();
        }
        pending.values().forEach(answer -> answer.completeExceptionally(new TimeoutException("node closing")));
    }
}
