package dev.jcn.helpers.cluster;

import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LoggerFactorySupport;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;

/**
 * Hazelcast's log lines, kept out of the notebook: a starting member alone writes a few dozen INFO lines (a
 * logo, the member list, connections), and a killed member makes the others log its connection failures. The
 * helpers print their own one-line summary per member event instead. INFO and below are dropped; warnings and
 * errors are kept (first line only, the last 200) for {@link #recent()} and echoed, one line each, to the
 * standard error of the thread that logged them, once the member script or a {@link Cluster} in the kernel asked
 * for it: a Hazelcast thread, which in the kernel is a service's, so the line goes to the kernel log.
 *
 * <pre>{@code
 * QuietLogging.install();            // before the first Hazelcast call: the factory is chosen once per JVM
 * QuietLogging.recent();             // ["WARNING com.hazelcast...: ...", ...]
 * }</pre>
 */
public final class QuietLogging extends LoggerFactorySupport {

    private static final int KEPT = 200;
    private static final Deque<String> RECENT = new ArrayDeque<>();
    private static volatile PrintStream echo;

    /** Hazelcast makes the factory itself, by this class name, through a system property. */
    public QuietLogging() {
    }

    /** Makes Hazelcast log through this class in this JVM (a no-op once Hazelcast has chosen a factory). */
    public static void install() {
        System.setProperty("hazelcast.logging.class", QuietLogging.class.getName());
    }

    /** Also prints each warning or error, one line, to {@code out} (null: stop). */
    public static void echo(PrintStream out) {
        echo = out;
    }

    /** The warnings and errors Hazelcast logged in this JVM, oldest first (the last 200). */
    public static List<String> recent() {
        synchronized (RECENT) {
            return List.copyOf(RECENT);
        }
    }

    @Override
    protected ILogger createLogger(String name) {
        return new Quiet(name);
    }

    private static void keep(Level level, String name, String message, Throwable thrown) {
        if (level.intValue() < Level.WARNING.intValue()) {
            return;
        }
        String text = message == null && thrown != null ? thrown.toString() : String.valueOf(message);
        String line = level.getName() + " " + name.substring(name.lastIndexOf('.') + 1) + ": "
                + text.lines().findFirst().orElse("").strip();
        synchronized (RECENT) {
            RECENT.addLast(line);
            if (RECENT.size() > KEPT) {
                RECENT.removeFirst();
            }
        }
        PrintStream out = echo;
        if (out != null) {
            out.println("hazelcast " + line);
        }
    }

    private static final class Quiet extends AbstractLogger {
        private final String name;

        Quiet(String name) {
            this.name = name;
        }

        @Override
        public void log(Level level, String message) {
            keep(level, name, message, null);
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            keep(level, name, message, thrown);
        }

        @Override
        public void log(LogEvent event) {
            var record = event.getLogRecord();
            keep(record.getLevel(), name, record.getMessage(), record.getThrown());
        }

        @Override
        public Level getLevel() {
            return Level.WARNING;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.intValue() >= Level.WARNING.intValue();
        }
    }
}
