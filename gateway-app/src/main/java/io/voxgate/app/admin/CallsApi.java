package io.voxgate.app.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.voxgate.app.cluster.CallCommandRouter;
import io.voxgate.app.cluster.CommandResult;
import io.voxgate.app.cluster.LocalCallCommand;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.call.CallerMediaQuality;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.http.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The calls API of the admin listener: {@code GET /calls} lists the calls running on this node, {@code GET
 * /calls/{id}} shows one (with its latest transfer), {@code DELETE /calls/{id}} hangs one up, and sub-resources
 * {@code /calls/{id}/{name}} ({@link #action}: {@link TransferApi}, {@link RecordingApi}) act on one. Every request needs the bearer token
 * ({@link BearerToken}); without it the answer is 401 and counted.
 *
 * <p>How a call is read: its {@link CallStats} are written by the call's own thread and read here racily, the way a
 * metrics scrape reads them. Each value is untorn (longs and references on a 64-bit JVM) but may be a few
 * milliseconds stale, and the fields are not one snapshot: frames in and frames out may straddle a frame. The caller
 * media figures of a SIP call are at most a second old (the edge publishes them once a second). None of this touches
 * call state, so no command needs to cross into the call to answer a GET.
 *
 * <p>How a call is hung up: {@link CallCommand#HANG_UP_OPERATOR} goes through the call's command ring
 * ({@link CallRegistry#proxy}); the call's own thread closes its agent and hangs up its leg the way the edge does it
 * (SIP BYE, Twilio close 1000). The answer (202) says the request was queued, not that the call has ended; a full ring
 * answers 503 and is counted.
 *
 * <p>Every request for one call is a {@link LocalCallCommand} of the node's {@link CallCommandRouter}: {@value #DESCRIBE}
 * and {@value #HANG_UP} for {@code GET} and {@code DELETE /calls/{id}}, and one per sub-resource under its name
 * ({@link #action}), which carries the request's body (at most {@value #MAX_BODY_BYTES} bytes, the admin listener's
 * limit: larger ones are answered 413 before anything else). A call running here is commanded here; in a cluster a
 * call another node runs is commanded there, and the owner's status and JSON body are the answer (404 only when no
 * node runs the call, 504 when the owner does not answer in time, 503 when Redis is unreachable). {@code GET /calls}
 * lists the calls the asked node runs.
 *
 * <p>Threading: the routes run on the admin listener's own event loop, never a media loop; the commands run there or
 * on the cluster's subscriber thread; the counters are safe on any thread. A call id is looked up on every edge in
 * {@link CallCommandRouter#EDGES} order, so an id two edges share (a Twilio CallSid that is also a SIP Call-ID) names
 * the Twilio call.
 */
public final class CallsApi {
    /** The list's path. */
    public static final String PATH = "/calls";
    /** The command that hangs a call up. */
    public static final String HANG_UP = "hang-up";
    /** The command that describes a call. */
    public static final String DESCRIBE = "describe";
    /**
     * Largest request body, the admin listener's limit: a sub-resource's body travels whole to the node that runs the
     * call, and its largest (a transfer: a 256-character target and a 500-character announcement) fits well within.
     */
    public static final int MAX_BODY_BYTES = 4_096;
    /** Longest call id looked up; longer ones are answered 404 without a lookup. */
    private static final int MAX_ID_CHARS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRegistry registry;
    private final CallCommandRouter router;
    private final BearerToken token;
    private final String agent;
    private final LongSupplier nanoClock;
    private final LongSupplier epochMillis;
    private final LongAdder requestsUnauthorized = new LongAdder();
    private final LongAdder hangUpsRequested = new LongAdder();
    private final LongAdder hangUpsRefusedRingFull = new LongAdder();
    private final Map<String, Set<HttpMethod>> actions = new LinkedHashMap<>();

    /**
     * The API over {@code registry}.
     *
     * @param registry    the node's calls
     * @param router      carries a call's commands to the node that runs it; the API registers its commands there
     * @param token       the credential every request must carry
     * @param agent       the node's agent ({@code echo}, {@code parrot}, {@code vapi}), reported for every call
     * @param nanoClock   the calls' monotonic clock, to turn their start times into wall-clock times
     * @param epochMillis the wall clock
     */
    public CallsApi(final CallRegistry registry, final CallCommandRouter router, final BearerToken token, final String agent,
                    final LongSupplier nanoClock, final LongSupplier epochMillis) {
        this.registry = registry;
        this.router = router.register(HANG_UP, this::hangUpHere).register(DESCRIBE, this::describeHere);
        this.token = token;
        this.agent = agent;
        this.nanoClock = nanoClock;
        this.epochMillis = epochMillis;
    }

    /**
     * Adds {@code /calls/{id}/{name}} answering {@code methods} with {@code action}, registered with the router under
     * {@code name} so that it runs on the node that runs the call, with the request's body as its argument; before
     * {@link #register}.
     *
     * @throws IllegalArgumentException when {@code name} is taken or holds a slash
     * @throws IllegalStateException    when the router already has a command {@code name}
     */
    public CallsApi action(final String name, final LocalCallCommand action, final HttpMethod... methods) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || actions.containsKey(name)) {
            throw new IllegalArgumentException("call action " + name + " is empty, holds a slash or is taken");
        }
        router.register(name, action);
        actions.put(name, Set.of(methods));
        return this;
    }

    /** Adds the API's routes to the admin listener being built, and bounds its request bodies ({@value #MAX_BODY_BYTES}). */
    public HttpEdgeServer.Builder register(final HttpEdgeServer.Builder admin) {
        final Set<HttpMethod> methods = new LinkedHashSet<>(List.of(HttpMethod.GET, HttpMethod.DELETE));
        actions.values().forEach(methods::addAll);
        return admin.maxRequestBodyBytes(MAX_BODY_BYTES).route(PATH, this::list, HttpMethod.GET)
            .routePrefix(PATH + "/", this::one, methods.toArray(new HttpMethod[0]));
    }

    private void list(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        if (!authorized(ctx, request)) {
            return;
        }
        final long nowNs = nanoClock.getAsLong();
        final long nowMs = epochMillis.getAsLong();
        final ObjectNode body = JSON.createObjectNode();
        final ArrayNode calls = body.putArray("calls");
        registry.forEachCall((callId, edge, stats) -> calls.add(describe(callId, edge, stats, nowNs, nowMs)));
        send(ctx, request, HttpResponseStatus.OK, body);
    }

    private void one(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        if (!authorized(ctx, request)) {
            return;
        }
        final String path = new QueryStringDecoder(request.uri()).path();
        final String rest = path.substring(PATH.length() + 1);
        final int slash = rest.indexOf('/');
        final String id = slash < 0 ? rest : rest.substring(0, slash);
        final String action = slash < 0 ? null : rest.substring(slash + 1);
        final Set<HttpMethod> actionMethods = action == null ? null : actions.get(action);
        if (action != null && actionMethods == null) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, error("no such call resource"));
            return;
        }
        if (action == null ? HttpMethod.POST.equals(request.method()) : !actionMethods.contains(request.method())) {
            send(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, error("method not allowed"));
            return;
        }
        if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, error("no such call"));
            return;
        }
        if (action == null) {
            answer(ctx, request, router.dispatch(HttpMethod.DELETE.equals(request.method()) ? HANG_UP : DESCRIBE, id, null));
            return;
        }
        answer(ctx, request, router.dispatch(action, id, request.content().toString(StandardCharsets.UTF_8)));
    }

    /**
     * Sends {@code result} when it completes, from whichever thread completes it. The router releases the request when
     * the route returns, so the answer goes with a copy of its line and headers (what keep-alive is decided from).
     */
    public static void answer(final ChannelHandlerContext ctx, final FullHttpRequest request,
                              final CompletableFuture<CommandResult> result) {
        final HttpRequest head = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
            request.headers().copy());
        result.whenComplete((answer, thrown) -> {
            final CommandResult sent = answer != null ? answer : CommandResult.error(500, "the command failed");
            HttpResponses.send(ctx, head, HttpResponses.of(HttpResponseStatus.valueOf(sent.status()),
                HttpResponses.APPLICATION_JSON, sent.body() + "\n"));
        });
    }

    private CommandResult hangUpHere(final String edge, final String id, final String argument) {
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, id);
        if (proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        if (!proxy.offer(CallCommand.HANG_UP_OPERATOR)) {
            hangUpsRefusedRingFull.increment();
            return CommandResult.error(503, "the call is busy; try again");
        }
        hangUpsRequested.increment();
        final ObjectNode body = JSON.createObjectNode();
        body.put("id", id).put("edge", edge).put("state", "hanging up");
        return new CommandResult(202, body.toString());
    }

    private CommandResult describeHere(final String edge, final String id, final String argument) {
        final CallStats stats = registry.stats(edge, id);
        if (stats == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        return new CommandResult(200, describe(id, edge, stats, nanoClock.getAsLong(), epochMillis.getAsLong()).toString());
    }

    private ObjectNode describe(final String callId, final String edge, final CallStats stats, final long nowNs,
                                final long nowMs) {
        final ObjectNode call = JSON.createObjectNode();
        call.put("id", callId).put("edge", edge).put("from", stats.from()).put("to", stats.to()).put("agent", agent)
            .put("state", stats.state().name().toLowerCase(Locale.ROOT))
            .put("started", Instant.ofEpochMilli(nowMs - (nowNs - stats.startedNs()) / 1_000_000L).toString())
            .put("codec", stats.codec())
            .put("recording", stats.recording() == null ? "off" : stats.recording().state().name().toLowerCase(Locale.ROOT));
        call.putObject("frames").put("in", stats.framesFromCaller()).put("out", stats.framesToCaller())
            .put("toAgent", stats.framesToAgent()).put("fromAgent", stats.framesFromAgent());
        final CallerMediaQuality media = stats.callerMedia();
        call.putObject("loss").put("lost", media.framesLost()).put("late", media.lateDrops())
            .put("concealed", media.concealed()).put("ratio", media.lossRatio());
        final ObjectNode transfer = TransferApi.describe(stats);
        if (transfer != null) {
            call.set("transfer", transfer);
        }
        return call;
    }

    private boolean authorized(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        if (token.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return true;
        }
        requestsUnauthorized.increment();
        final FullHttpResponse response = HttpResponses.of(HttpResponseStatus.UNAUTHORIZED, HttpResponses.APPLICATION_JSON,
            "{\"error\":\"unauthorized\"}");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"voxgate-admin\"");
        HttpResponses.send(ctx, request, response);
        return false;
    }

    private static ObjectNode error(final String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpResponseStatus status,
                             final ObjectNode body) {
        HttpResponses.send(ctx, request, HttpResponses.of(status, HttpResponses.APPLICATION_JSON, body.toString() + "\n"));
    }

    /** Requests refused for a missing or wrong bearer token. */
    public long requestsUnauthorized() {
        return requestsUnauthorized.sum();
    }

    /** Hang-ups queued to a call's ring. */
    public long hangUpsRequested() {
        return hangUpsRequested.sum();
    }

    /** Hang-ups refused because the call's command ring was full. */
    public long hangUpsRefusedRingFull() {
        return hangUpsRefusedRingFull.sum();
    }
}
