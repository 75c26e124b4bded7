package io.voxgate.testkit.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the one Twilio REST endpoint the gateway uses: updating a live call,
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json} with a form body. It answers as Twilio's
 * documentation describes: HTTP Basic authentication with the account SID and auth token (401, code 20003, otherwise),
 * a form-encoded body ({@code application/x-www-form-urlencoded}), 404 (code 20404) for another account or an unknown
 * call, 400 (code 21220, "invalid call state") for a call marked completed, and 200 with the call's JSON after a
 * {@code Twiml} update. Each accepted update is recorded and handed to {@link #onUpdate} (the test ends the simulated
 * stream there, as Twilio would once the call leaves {@code <Connect><Stream>}).
 *
 * <p>Loopback only; threading: its own small pool; the records are thread-safe.
 */
public final class TwilioApiStandIn implements AutoCloseable {
    private static final Pattern CALL_PATH =
        Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls/(CA[0-9a-fA-F]{32})\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One accepted update: the call, its new TwiML and the form as sent. */
    public record Update(String callSid, String twiml, Map<String, String> form) {
    }

    private final String accountSid;
    private final String expectedAuthorization;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        final Thread t = new Thread(r, "twilio-api-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> liveCalls = ConcurrentHashMap.newKeySet();
    private final Set<String> completedCalls = ConcurrentHashMap.newKeySet();
    private final List<Update> updates = new CopyOnWriteArrayList<>();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<String, String> onUpdate = (callSid, twiml) -> { };
    /** When set, every update is answered with this status and body instead (a Twilio outage, say). */
    private volatile int forcedStatus;

    /** A stand-in for {@code accountSid} with {@code authToken}, on a free loopback port. */
    public TwilioApiStandIn(final String accountSid, final String authToken) {
        this.accountSid = accountSid;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
            .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/2010-04-01/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** The base URL to give the gateway ({@code --twilio-api-url}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Marks {@code callSid} as in progress: its updates are accepted. */
    public void callInProgress(final String callSid) {
        completedCalls.remove(callSid);
        liveCalls.add(callSid);
    }

    /** Marks {@code callSid} as completed: its updates are refused with 21220. */
    public void callCompleted(final String callSid) {
        liveCalls.remove(callSid);
        completedCalls.add(callSid);
    }

    /** Called (on the stand-in's thread) after each accepted update, with the call and its new TwiML. */
    public void onUpdate(final BiConsumer<String, String> action) {
        this.onUpdate = action;
    }

    /** Answers every update with {@code status} (e.g. 503) from now on; 0 answers normally again. */
    public void forceStatus(final int status) {
        this.forcedStatus = status;
    }

    /** Accepted updates, in order. */
    public List<Update> updates() {
        return List.copyOf(updates);
    }

    /** Every status answered, in order. */
    public List<Integer> statuses() {
        return List.copyOf(statuses);
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final byte[] body = readBounded(exchange.getRequestBody());
            final Matcher path = CALL_PATH.matcher(exchange.getRequestURI().getPath());
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, 20003, "Authenticate");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches() || !accountSid.equals(path.group(1))) {
                error(exchange, 404, 20404, "The requested resource was not found");
                return;
            }
            final String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
                error(exchange, 400, 20001, "Content-Type must be application/x-www-form-urlencoded");
                return;
            }
            final String callSid = path.group(2);
            if (forcedStatus != 0) {
                error(exchange, forcedStatus, 20500, "Internal Server Error");
                return;
            }
            if (completedCalls.contains(callSid)) {
                error(exchange, 400, 21220, "Call is not in-progress. Cannot redirect.");
                return;
            }
            if (!liveCalls.contains(callSid)) {
                error(exchange, 404, 20404, "The requested resource was not found");
                return;
            }
            final Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            final String twiml = form.get("Twiml");
            if (twiml == null || twiml.isEmpty()) {
                error(exchange, 400, 20001, "Twiml, Url or ApplicationSid is required");
                return;
            }
            updates.add(new Update(callSid, twiml, form));
            final ObjectNode call = JSON.createObjectNode();
            call.put("sid", callSid).put("account_sid", accountSid).put("api_version", "2010-04-01")
                .put("status", "in-progress").put("direction", "inbound")
                .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Calls/" + callSid + ".json");
            send(exchange, 200, call);
            onUpdate.accept(callSid, twiml);
        }
    }

    private static byte[] readBounded(final InputStream in) throws IOException {
        return in.readNBytes(64 * 1024);
    }

    private static Map<String, String> form(final String body) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    private void error(final HttpExchange exchange, final int status, final int code, final String message)
        throws IOException {
        final ObjectNode error = JSON.createObjectNode();
        error.put("code", code).put("message", message).put("more_info", "https://www.twilio.com/docs/errors/" + code)
            .put("status", status);
        send(exchange, status, error);
    }

    private void send(final HttpExchange exchange, final int status, final ObjectNode json) throws IOException {
        statuses.add(status);
        final byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
