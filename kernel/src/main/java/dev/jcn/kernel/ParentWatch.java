package dev.jcn.kernel;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the kernel when the process that started it is gone, so that a killed Jupyter client does
 * not leave the kernel and its user JVM running.
 *
 * <pre>{@code
 * try (ParentWatch watch = ParentWatch.start(System.getenv(), () -> System.exit(0))) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>The watched process is the one named by {@code JPY_PARENT_PID} (jupyter_client sets it to
 * its own pid) when that process is alive at start, else the kernel's parent at start. It is
 * checked once a {@link #INTERVAL period}; the check compares start times, so a reused pid
 * counts as gone.
 */
public final class ParentWatch implements AutoCloseable {

    /** How often the parent is checked. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);

    private final Thread thread;
    private volatile boolean closed;

    private ParentWatch(ProcessHandle parent, Runnable whenGone) {
        thread = Thread.ofPlatform().name("jcn-parent-watch").daemon().unstarted(() -> watch(parent, whenGone));
    }

    /**
     * Starts watching; runs {@code whenGone} once, on the watch's thread, when the parent ends. With
     * no parent to watch (none known, or already gone at start) it watches nothing.
     */
    public static ParentWatch start(Map<String, String> env, Runnable whenGone) {
        Optional<ProcessHandle> parent = parentToWatch(env);
        ParentWatch w = new ParentWatch(parent.orElse(null), whenGone);
        if (parent.isPresent()) {
            LOG.info("watching parent process {}", parent.get().pid());
            w.thread.start();
        }
        return w;
    }

    /** The process whose end should end the kernel: see the class comment. */
    static Optional<ProcessHandle> parentToWatch(Map<String, String> env) {
        String named = env.get("JPY_PARENT_PID");
        if (named != null && named.strip().matches("\\d+")) {
            try {
                Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(named.strip()));
                if (p.isPresent() && p.get().pid() > 1) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // too long to be a pid: use the real parent
            }
        }
        return ProcessHandle.current().parent().filter(p -> p.pid() > 1 && p.isAlive());
    }

    private void watch(ProcessHandle parent, Runnable whenGone) {
        while (!closed) {
            if (!parent.isAlive()) {
                LOG.warn("parent process {} is gone: shutting down", parent.pid());
                whenGone.run();
                return;
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
