package dev.jcn.kernel.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When the user JVM reached each step of its start, as one line for the kernel log. The time from a
 * kernel's start to its first cell's result is spent mostly in this JVM, which the kernel's own log
 * sees only from outside; the line says whether the start-up cache was mapped, too.
 *
 * <pre>{@code
 * StartupSteps steps = new StartupSteps();   // at the start of main
 * steps.mark("JShell");                      // ... once JShell is built
 * outbox.send(new Event.Log(steps.line()));  // "start-up, ms after main: connected 3 [40/2], JShell 180 [90/60], ...; ..."
 * }</pre>
 *
 * <p>Each step also says, in brackets where Linux tells, how long the thread that marked it had run on a core
 * and how long it had waited for one (its {@code schedstat}), in milliseconds since it started: a start that
 * waits for cores shows there.
 */
final class StartupSteps {

    private final long origin = System.nanoTime();
    private final StringBuilder steps = new StringBuilder();

    /** Notes that {@code step} is done now. */
    synchronized void mark(String step) {
        steps.append(steps.isEmpty() ? "" : ", ").append(step).append(' ').append((System.nanoTime() - origin) / 1_000_000);
        try {
            String[] times = Files.readString(Path.of("/proc/thread-self/schedstat")).strip().split(" ");
            steps.append(" [").append(Long.parseLong(times[0]) / 1_000_000).append('/').append(Long.parseLong(times[1]) / 1_000_000).append(']');
        } catch (IOException | RuntimeException e) {
            // not Linux: the time alone
        }
    }

    /** The steps so far, and whether class data sharing is on. */
    synchronized String line() {
        return "start-up, ms after main: " + steps + "; class data sharing " + (classDataShared() ? "on" : "off");
    }

    /**
     * Whether this JVM maps a class data archive: it says so in {@code java.vm.info}. Started with an AOT cache,
     * it maps that cache or none, so this tells whether the cache was used.
     */
    static boolean classDataShared() {
        return System.getProperty("java.vm.info", "").contains("sharing");
    }
}
