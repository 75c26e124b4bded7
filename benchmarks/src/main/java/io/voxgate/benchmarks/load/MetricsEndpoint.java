package io.voxgate.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A gateway's {@code /metrics} on 127.0.0.1, read as Prometheus text, and the values of its series.
 *
 * <p>Threading: any thread; it keeps no state besides its thread-safe HTTP client.
 */
final class MetricsEndpoint {
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The endpoint of the gateway whose HTTP port is {@code port}. */
    MetricsEndpoint(final int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /** The exposition text now; empty when the gateway does not answer 200 (its figures then read as missing). */
    String scrape() throws InterruptedException {
        try {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (final IOException ex) {
            return "";
        }
    }

    /** The value of a series, {@code name} with its labels exactly as exposed, in Prometheus text format, or -1. */
    static long gauge(final String scrape, final String name) {
        final double v = value(scrape, name);
        return Double.isNaN(v) ? -1 : (long) v;
    }

    /** The value of a series as exposed (a double), or NaN when it is missing or unreadable. */
    static double value(final String scrape, final String name) {
        for (final String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                try {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                } catch (final NumberFormatException ex) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
