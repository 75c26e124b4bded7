package io.voxgate.app.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts the build wrote into {@code io/voxgate/app/build.properties} (a filtered resource): the version.
 *
 * <p>Read once; immutable; safe on any thread.
 */
public final class BuildInfo {
    private static final String VERSION = load().getProperty("version", "unknown");

    private BuildInfo() {
    }

    /** The Maven project version this jar was built as, e.g. {@code 0.1.0}. */
    public static String version() {
        return VERSION;
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
