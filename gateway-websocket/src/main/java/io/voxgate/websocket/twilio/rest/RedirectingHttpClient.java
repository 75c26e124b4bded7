package io.voxgate.websocket.twilio.rest;

import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * The SDK's HTTP client with every request sent to another base URL ({@code --twilio-api-url}): the SDK builds its
 * URLs on {@code https://api.twilio.com}; this keeps the path and query, the form and the authentication, and swaps
 * scheme, host and port. Tests point it at a local stand-in; production uses the SDK's own client unchanged.
 *
 * <p>Threading: as the delegate (the SDK's network client is thread-safe).
 */
final class RedirectingHttpClient extends HttpClient {
    private final HttpClient delegate;
    private final URI base;

    RedirectingHttpClient(final HttpClient delegate, final URI base) {
        this.delegate = delegate;
        this.base = base;
    }

    @Override
    public Response makeRequest(final Request request) {
        final URL original = request.constructURL();
        final String path = base.getRawPath() == null ? "" : stripTrailingSlash(base.getRawPath());
        final Request moved = new Request(request.getMethod(), base.getScheme() + "://" + base.getRawAuthority() + path
            + original.getPath());
        for (final Map.Entry<String, List<String>> param : request.getPostParams().entrySet()) {
            for (final String value : param.getValue()) {
                moved.addPostParam(param.getKey(), value);
            }
        }
        for (final Map.Entry<String, List<String>> param : request.getQueryParams().entrySet()) {
            for (final String value : param.getValue()) {
                moved.addQueryParam(param.getKey(), value);
            }
        }
        for (final Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (final String value : header.getValue()) {
                moved.addHeaderParam(header.getKey(), value);
            }
        }
        if (request.getContentType() != null) {
            moved.setContentType(request.getContentType());
        }
        if (request.getAuthStrategy() != null) {
            moved.setAuth(request.getAuthStrategy());
        } else if (request.getUsername() != null) {
            moved.setAuth(request.getUsername(), request.getPassword());
        }
        return delegate.makeRequest(moved);
    }

    private static String stripTrailingSlash(final String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
