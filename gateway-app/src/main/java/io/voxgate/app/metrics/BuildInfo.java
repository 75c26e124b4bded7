package io.voxgate.app.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts the build wrote into {@code io/voxgate/app/build.properties} (a filtered resource): the version and the git
 * commit the build was given ({@code -Dvoxgate.commit}, set by {@code ./voxgate} and {@code .ci/run}).
 *
 * <p>Read once; immutable; safe on any thread.
 */
public final class BuildInfo {
    private static final Properties FACTS = load();
    private static final String VERSION = FACTS.getProperty("version", "unknown");
    /** A build without {@code -Dvoxgate.commit} leaves the placeholder unfiltered or says unknown. */
    private static final String COMMIT = FACTS.getProperty("commit", "unknown").matches("[0-9a-f]{7,40}")
        ? FACTS.getProperty("commit") : "unknown";

    private BuildInfo() {
    }

    /** The Maven project version this jar was built as, e.g. {@code 0.1.0}. */
    public static String version() {
        return VERSION;
    }

    /** The git commit this jar was built from (short hash), or {@code unknown} when the build was not told. */
    public static String commit() {
        return COMMIT;
    }

    private static Properties load() {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/voxgate/app/build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("reading build.properties from the jar", ex);
        }
        return properties;
    }
}
