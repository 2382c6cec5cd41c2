package dev.jcn.helpers.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What outlives {@code main}: a child JVM starts one thing, lets {@code main} return, and the parent watches
 * how long the JVM stays alive and whether a process it started survives it.
 *
 * <pre>{@code
 * LifetimeDemo.run("daemon");           // the JVM ends at once: daemon threads do not keep it alive
 * LifetimeDemo.run("non-daemon");       // it lives until its non-daemon thread ends (about 1 s)
 * LifetimeDemo.run("orphan");           // it ends, but the plain child process it started lives on
 * LifetimeDemo.run("watching");         // it ends, and a child started with ChildJvm ends with it
 * }</pre>
 *
 * <p>Every process the demo starts has ended when {@link #run} returns: a surviving orphan is killed after
 * it has been seen alive. (An ended orphan can stay a zombie for a second or so, until the init process that
 * adopted it reaps it; {@code ProcessHandle.isAlive()} reports a zombie as alive.)
 */
public final class LifetimeDemo {

    /** The modes {@link #run} knows. */
    public static final List<String> MODES = List.of("daemon", "non-daemon", "orphan", "watching");

    private LifetimeDemo() {
    }

    /**
     * What one run showed.
     *
     * @param mode               what the child JVM started before {@code main} returned
     * @param afterMain          how long the child JVM lived after {@code main} returned
     * @param grandchildPid      the pid of the process it started (-1 in the thread modes)
     * @param grandchildSurvived whether that process was still running (not a zombie) 2 s after the child JVM
     *                           ended
     */
    public record Report(String mode, Duration afterMain, long grandchildPid, boolean grandchildSurvived) {
    }

    /** The child side. Argument: one of {@link #MODES}. */
    public static void main(String[] args) throws IOException {
        ChildMain.watchParent();
        String mode = args.length == 1 ? args[0] : "";
        switch (mode) {
            case "daemon", "non-daemon" -> Thread.ofPlatform().daemon(mode.equals("daemon")).start(() -> {
                try {
                    Thread.sleep(1000);
                    System.out.println("the " + mode + " thread ends");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            case "orphan" -> {
                Process p = new ProcessBuilder("sleep", "30").start();
                System.out.println("grandchild " + p.pid());
            }
            case "watching" -> {
                ChildProcess sleeper = ChildJvm.start(Sleeper.class, "30");
                // Its first line comes after it started watching this JVM.
                sleeper.awaitLine(l -> l.startsWith("[child] pid"), Duration.ofSeconds(30));
                System.out.println("grandchild " + sleeper.pid());
            }
            default -> {
                System.err.println("usage: LifetimeDemo " + MODES);
                System.exit(2);
            }
        }
        System.out.println("main returns");
    }

    /**
     * Runs one mode in a child JVM and reports what outlived {@code main}.
     *
     * @throws IllegalArgumentException for an unknown mode
     */
    public static Report run(String mode) {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("unknown mode '" + mode + "'; choose one of " + MODES);
        }
        try (ChildProcess child = ChildJvm.of(LifetimeDemo.class).args(mode).start()) {
            Optional<String> returned = child.awaitLine(l -> l.equals("main returns"), Duration.ofSeconds(30));
            long mainReturned = System.nanoTime();
            if (returned.isEmpty() || !child.waitFor(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the lifetime demo did not run to its end");
            }
            Duration afterMain = Duration.ofNanos(System.nanoTime() - mainReturned);
            long pid = child.output().stream().filter(l -> l.startsWith("grandchild "))
                    .mapToLong(l -> Long.parseLong(l.substring("grandchild ".length()).strip())).findFirst().orElse(-1);
            boolean survived = false;
            if (pid > 0) {
                Optional<ProcessHandle> grandchild = ProcessHandle.of(pid);
                survived = grandchild.isPresent() && !ended(grandchild.get(), Duration.ofSeconds(2));
                grandchild.ifPresent(g -> {
                    g.destroyForcibly();
                    ended(g, Duration.ofSeconds(5));
                });
            }
            return new Report(mode, afterMain, pid, survived);
        }
    }

    /**
     * Whether {@code process} ended within the time. A process whose parent died is re-parented to the init
     * process, which may take a second or more to reap it; until then it is a zombie that the JDK still
     * reports alive, so the state in {@code /proc} is checked too.
     */
    private static boolean ended(ProcessHandle process, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (process.isAlive() && !isZombie(process.pid())) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                process.onExit().get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // Not yet: look again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted");
            }
        }
        return true;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
