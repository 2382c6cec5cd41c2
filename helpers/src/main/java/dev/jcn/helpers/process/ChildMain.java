package dev.jcn.helpers.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The launcher every {@link ChildJvm} runs first: it makes the child die with its parent, then calls the
 * real main class.
 *
 * <pre>{@code
 * java -Djcn.parent.pid=1234 -cp ... dev.jcn.helpers.process.ChildMain dev.jcn.helpers.process.Sleeper 10
 * }</pre>
 *
 * <p>A JVM has no "die with my parent" switch, and a killed parent cannot clean up after itself; so the
 * child watches the parent's process handle and halts itself when the parent is gone. The helpers' own main
 * classes call {@link #watchParent()} themselves and are started directly, which saves the reflective call.
 */
public final class ChildMain {

    /** The system property carrying the parent's pid. */
    public static final String PARENT_PID = "jcn.parent.pid";

    /** How often the parent is checked: a child outlives its parent by at most about this long. */
    private static final long WATCH_INTERVAL_NANOS = 100_000_000L;

    private static final java.util.concurrent.atomic.AtomicBoolean WATCHING = new java.util.concurrent.atomic.AtomicBoolean();

    /** Counted down once the watch thread has looked at the parent for the first time. */
    private static final java.util.concurrent.CountDownLatch FIRST_CHECK = new java.util.concurrent.CountDownLatch(1);

    private ChildMain() {
    }

    /**
     * Runs {@code args[0]}'s main method with the remaining arguments, after arranging to halt when the
     * parent process ends.
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        watchParent();
        Class<?> mainClass;
        try {
            mainClass = Class.forName(args[0]);
        } catch (ClassNotFoundException e) {
            System.err.println("ChildMain: no class " + args[0] + " on the class path");
            System.exit(2);
            return;
        }
        MethodHandle main;
        try {
            main = MethodHandles.publicLookup().findStatic(mainClass, "main",
                    MethodType.methodType(void.class, String[].class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            System.err.println("ChildMain: " + args[0] + " has no public static void main(String[])");
            System.exit(2);
            return;
        }
        main.invoke((Object) Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Halts this JVM (exit code 143) when the process named by the system property {@value #PARENT_PID} ends;
     * does nothing without the property. The watch runs on a daemon thread, so the caller's start-up does
     * not wait for it.
     */
    public static void watchParent() {
        String pid = System.getProperty(PARENT_PID);
        if (pid == null) {
            return;
        }
        if (WATCHING.getAndSet(true)) {
            return;
        }
        long parentPid = Long.parseLong(pid);
        Thread.ofPlatform().daemon(true).name("parent-watch").start(() -> {
            // Polled here: the JDK polls a process that is not its child at intervals growing from 0.3 s to 5 s.
            Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            boolean alive = parent.isPresent() && parent.get().isAlive();
            FIRST_CHECK.countDown();
            while (alive) {
                LockSupport.parkNanos(WATCH_INTERVAL_NANOS);
                alive = parent.get().isAlive();
            }
            Runtime.getRuntime().halt(143);
        });
    }

    /**
     * Waits (at most {@code timeout}) until the watch started by {@link #watchParent()} has made its first
     * check, so that a measurement started afterwards does not share the CPU with the watch thread's start.
     *
     * @return true once the watch runs; false without a watch or when the time passed
     */
    public static boolean awaitWatching(java.time.Duration timeout) {
        if (!WATCHING.get()) {
            return false;
        }
        try {
            return FIRST_CHECK.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
