package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Event;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the kernel who called {@code System.exit}, before the JVM ends: {@code Runtime.exit} logs
 * through {@code System.Logger} ({@code java.lang.Runtime}, level FINE) before it runs the shutdown
 * hooks, on the exiting thread.
 *
 * <pre>{@code
 * ExitWatch.start(outbox, capture::flush);
 * }</pre>
 */
final class ExitWatch {

    private static final Pattern STATUS = Pattern.compile("status: (-?\\d+)");
    /** Held strongly: java.util.logging forgets loggers nobody references. */
    private static Logger runtime;

    private ExitWatch() {}

    static void start(Outbox outbox, Runnable flushOutput) {
        runtime = Logger.getLogger("java.lang.Runtime");
        runtime.setUseParentHandlers(false);
        runtime.setLevel(Level.FINE);
        runtime.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                Matcher m = STATUS.matcher(String.valueOf(record.getMessage()));
                flushOutput.run();
                outbox.sendBeforeExit(new Event.Exit(m.find() ? Integer.parseInt(m.group(1)) : -1, Cells.current(),
                        Thread.currentThread().getName()), 1000);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }
}
