package io.voxgate.app.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the cluster's Redis is and how a node proves itself to it: host, port, database, TLS ({@code rediss://}) with
 * the CA file to trust (or the JVM's trust store), and the ACL user and password, from
 * {@code --redis-url redis[s]://[user[:password]@]host:port[/db]}, {@code VOXGATE_REDIS_PASSWORD} and
 * {@code --redis-tls-ca}.
 *
 * <p>The password is never printed: {@link #toString()} is the URL with {@code ***} in its place, and parse errors
 * never quote the URL. Immutable; safe on any thread.
 */
public final class RedisEndpoint {
    private final String host;
    private final int port;
    private final int database;
    private final boolean tls;
    private final String user;
    private final String password;
    private final Path tlsCa;

    private RedisEndpoint(final String host, final int port, final int database, final boolean tls, final String user,
                          final String password, final Path tlsCa) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.tlsCa = tlsCa;
    }

    /**
     * Reads {@code url} ({@code redis://} or {@code rediss://}, a port, an optional user, password and database).
     *
     * @param passwordFromEnv the password from the environment, or {@code null}; a URL may not carry one as well
     * @param tlsCa           the PEM file of CA certificates to trust for {@code rediss://}, or {@code null}
     * @throws IllegalArgumentException saying what is wrong, without quoting the URL (it may hold the password)
     */
    public static RedisEndpoint parse(final String url, final String passwordFromEnv, final Path tlsCa) {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final URISyntaxException ex) {
            throw new IllegalArgumentException("not a URL");
        }
        final boolean tls = "rediss".equals(uri.getScheme());
        if ((!tls && !"redis".equals(uri.getScheme())) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("expected redis://[user[:password]@]host:port[/db] or rediss://...");
        }
        final String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        final int database;
        if (path.isEmpty() || "/".equals(path)) {
            database = 0;
        } else if (path.matches("/\\d{1,5}")) {
            database = Integer.parseInt(path.substring(1));
        } else {
            throw new IllegalArgumentException("the database after the port must be a number, as in redis://host:6379/2");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("no query or fragment, only redis://[user[:password]@]host:port[/db]");
        }
        String user = null;
        String password = null;
        final String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            final int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            user = user.isEmpty() ? null : user;
            password = password == null || password.isEmpty() ? null : password;
        }
        if (password != null && passwordFromEnv != null) {
            throw new IllegalArgumentException("a password in the URL and in VOXGATE_REDIS_PASSWORD: give it in one place");
        }
        if (user != null && password == null && passwordFromEnv == null) {
            throw new IllegalArgumentException("the user " + user + " needs a password: set VOXGATE_REDIS_PASSWORD");
        }
        if (tlsCa != null && !tls) {
            throw new IllegalArgumentException("a TLS CA file is only for rediss:// URLs");
        }
        final String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new RedisEndpoint(host, uri.getPort(), database, tls, user,
            password != null ? password : passwordFromEnv, tlsCa);
    }

    /** Percent-decodes a user or password; a malformed escape is refused without quoting it. */
    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("a malformed %-escape in the user or password");
        }
    }

    /** The host name or address (for TLS, the name its certificate must carry). */
    public String host() {
        return host;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The database number ({@code SELECT}). */
    public int database() {
        return database;
    }

    /** Whether the connection is TLS ({@code rediss://}). */
    public boolean tls() {
        return tls;
    }

    /** The ACL user, or {@code null} for the default user. */
    public String user() {
        return user;
    }

    /** The password ({@code AUTH}), or {@code null}: never log it. */
    public String password() {
        return password;
    }

    /** The CA file trusted for TLS, or {@code null} for the JVM's trust store. */
    public Path tlsCa() {
        return tlsCa;
    }

    /** {@code host:port}, for log lines. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** The URL with the password replaced by {@code ***}: safe to log. */
    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            out.append(user == null ? "" : user).append(password == null ? "" : ":***").append('@');
        }
        out.append(address());
        return (database == 0 ? out : out.append('/').append(database)).toString();
    }
}
