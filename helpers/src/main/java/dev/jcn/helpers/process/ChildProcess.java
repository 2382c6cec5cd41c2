package dev.jcn.helpers.process;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A running child process whose output is relayed live, line by line, to the caller's current
 * {@link System#out} and {@link System#err} (never {@code inheritIO()}, which would bypass a notebook).
 *
 * <pre>{@code
 * try (var ls = ChildProcess.start("ls", "-l", "/")) {
 *     ls.waitFor(Duration.ofSeconds(5));
 *     System.out.println("exit code " + ls.exitCode());
 * }
 * }</pre>
 *
 * <p>Start child JVMs with {@link ChildJvm}. {@link #close()} kills the process and every descendant it
 * started, so no process outlives the handle. Blocking calls throw {@link CancellationException} (with the
 * interrupt status set) when the calling thread is interrupted, rather than a checked exception.
 */
public final class ChildProcess implements AutoCloseable {

    private static final int KEPT_LINES = 10_000;

    private final List<String> command;
    private final Process process;
    private final long startNanos;
    private volatile long firstOutputNanos = -1;
    private final Thread stdoutRelay;
    private final Thread stderrRelay;
    private final BufferedWriter stdin;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder partialLine = new StringBuilder();

    private ChildProcess(List<String> command, Consumer<String> lineHandler, Consumer<String> observer) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        this.command = List.copyOf(command);
        ProcessBuilder builder = new ProcessBuilder(this.command);
        this.startNanos = System.nanoTime();
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start " + this.command.getFirst() + ": " + e.getMessage(), e);
        }
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Consumer<String> record = text -> {
            record(text);
            if (observer != null) {
                observer.accept(text);
            }
        };
        Runnable firstByte = () -> {
            if (firstOutputNanos < 0) {
                firstOutputNanos = System.nanoTime();
            }
        };
        this.stdoutRelay = Thread.ofPlatform().daemon(true).name("relay-out-" + process.pid()).start(
                new OutputRelay(process.getInputStream(), () -> System.out, lineHandler, record, firstByte));
        this.stderrRelay = Thread.ofPlatform().daemon(true).name("relay-err-" + process.pid()).start(
                new OutputRelay(process.getErrorStream(), () -> System.err, null, null, firstByte));
    }

    /** Starts any program; its output is relayed live to {@link System#out} and {@link System#err}. */
    public static ChildProcess start(String... command) {
        return start(List.of(command));
    }

    /** Starts any program; its output is relayed live to {@link System#out} and {@link System#err}. */
    public static ChildProcess start(List<String> command) {
        return new ChildProcess(command, null, null);
    }

    /**
     * Starts any program and hands each complete line of its standard output to {@code onLine} instead of
     * printing it (standard error is still relayed).
     */
    public static ChildProcess start(List<String> command, Consumer<String> onLine) {
        if (onLine == null) {
            throw new IllegalArgumentException("onLine must not be null");
        }
        return new ChildProcess(command, onLine, null);
    }

    /** Starts with every option: used by {@link ChildJvm}. */
    static ChildProcess start(List<String> command, Consumer<String> onLine, Consumer<String> observer) {
        return new ChildProcess(command, onLine, observer);
    }

    /** The command line that started the process. */
    public List<String> command() {
        return command;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** The process handle: parent, children, descendants, {@code onExit()}. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Writes one line to the process's standard input and flushes it.
     *
     * @throws UncheckedIOException if the process no longer reads its input (it has ended)
     */
    public void send(String line) {
        synchronized (stdin) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to process " + pid() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Closes the process's standard input: it reads end-of-file. */
    public void closeInput() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // The process has already gone; its input is closed either way.
            }
        }
    }

    /** How long {@link #waitFor} lets the relays catch up once the process has ended. */
    private static final Duration DRAIN = Duration.ofMillis(500);

    /**
     * Waits until the process ends or the timeout passes; once it has ended, also waits briefly (half a
     * second at most) until its output has been relayed. It returns when the process itself ends, even
     * when a process it left running in the background still holds its output open.
     *
     * @return true if the process has ended
     */
    public boolean waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            long drainEnd = System.nanoTime() + DRAIN.toNanos();
            stdoutRelay.join(Duration.ofNanos(Math.max(1, drainEnd - System.nanoTime())));
            stderrRelay.join(Duration.ofNanos(Math.max(1, drainEnd - System.nanoTime())));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for process " + pid());
        }
    }

    /**
     * The exit code.
     *
     * @throws IllegalStateException if the process is still running
     */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException("process " + pid() + " is still running");
        }
        return process.exitValue();
    }

    /** Time from just before the start to the first byte on standard output or error, once there was one. */
    public Optional<Duration> firstOutputAfter() {
        long first = firstOutputNanos;
        return first < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(first - startNanos));
    }

    /** The complete lines the process wrote to standard output so far (the last 10,000). */
    public List<String> output() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /**
     * Waits until the process writes a standard output line matching {@code test}, looking at lines already
     * written too.
     *
     * @return the first matching line, or empty if the time passed or the process ended without one
     */
    public Optional<String> awaitLine(Predicate<String> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (test.test(line)) {
                        return Optional.of(line);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !stdoutRelay.isAlive())) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for output of process " + pid());
                }
            }
        }
    }

    /** Kills the process and all its descendants at once (SIGKILL), without waiting. */
    public void kill() {
        killFamily();
    }

    /** Kills the process and its descendants; returns the descendants it found. */
    private List<ProcessHandle> killFamily() {
        List<ProcessHandle> family = new ArrayList<>();
        // Taken before the kill: once the process is gone its children are re-parented and out of reach.
        process.descendants().forEach(family::add);
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        return family;
    }

    /**
     * Kills the process and its descendants if still running, then waits (a few seconds at most) until
     * they are gone and the output is relayed.
     */
    @Override
    public void close() {
        closeInput();
        List<ProcessHandle> family = killFamily();
        boolean interrupted = Thread.interrupted();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
            for (ProcessHandle h : family) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            stdoutRelay.join(Duration.ofSeconds(2));
            stderrRelay.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (Exception e) {
            PrintStream err = System.err;
            err.println("process " + pid() + " did not end within 5 s of being killed: " + e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void record(String text) {
        synchronized (lines) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    int end = partialLine.length();
                    if (end > 0 && partialLine.charAt(end - 1) == '\r') {
                        partialLine.setLength(end - 1);
                    }
                    lines.addLast(partialLine.toString());
                    partialLine.setLength(0);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                } else if (partialLine.length() < 10_000) {
                    partialLine.append(c);
                }
            }
            lines.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[pid=" + pid() + (isAlive() ? ", running" : ", exit " + process.exitValue()) + ", "
                + String.join(" ", command) + "]";
    }
}
