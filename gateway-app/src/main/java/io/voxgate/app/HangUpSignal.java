package io.voxgate.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP (logrotate's {@code postrotate}, systemd's {@code ExecReload}) instead of the JVM's
 * default, which would shut down. The JDK offers signals only through {@code sun.misc.Signal} (module
 * jdk.unsupported); it is reached reflectively because the build treats the compiler's proprietary-API warning as
 * an error. Where it is missing the action is simply never run, and a warning says so.
 *
 * <p>Threading: {@link #install} once from the control thread; the action runs on the JVM's signal thread.
 */
final class HangUpSignal {
    private static final Logger LOG = LoggerFactory.getLogger(HangUpSignal.class);

    private HangUpSignal() {
    }

    /** Makes SIGHUP run {@code action}; returns whether the handler is in place. */
    static boolean install(final Runnable action) {
        try {
            final Class<?> signal = Class.forName("sun.misc.Signal");
            final Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            final Object handler = Proxy.newProxyInstance(HangUpSignal.class.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "handle":
                            action.run();
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return "voxgate SIGHUP handler";
                    }
                });
            signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance("HUP"),
                handler);
            return true;
        } catch (final ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                       | InvocationTargetException ex) {
            LOG.warn("SIGHUP cannot be handled on this JVM ({}); reopen the CDR file or reload the SIP TLS certificate by restarting",
                ex.toString());
            return false;
        }
    }
}
