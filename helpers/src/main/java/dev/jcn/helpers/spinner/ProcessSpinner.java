package dev.jcn.helpers.spinner;

import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notes' {@code spinner_proc.py}: a child JVM draws the frames, and the parent tells it to stop through
 * a pipe (the child's standard input), since the JDK has no cross-process event. The frames travel back
 * through the child's standard output and are relayed live.
 *
 * <pre>{@code
 * try (var spinner = new ProcessSpinner("thinking!")) {
 *     Primes.isPrime(Primes.SLOW_PRIME);     // this JVM computes, the child keeps spinning
 *     System.out.println(spinner.frames() + " frames");
 * }
 * }</pre>
 */
public final class ProcessSpinner implements Spinner {

    private final String message;
    private final ChildProcess child;
    private final AtomicInteger frames = new AtomicInteger();
    private volatile boolean afterReturn;

    /** Starts a child JVM spinning with {@code message}. */
    public ProcessSpinner(String message) {
        this(message, List.of());
    }

    /** Starts a child JVM spinning with {@code message}, with extra JVM options for the child. */
    public ProcessSpinner(String message, List<String> jvmOptions) {
        this.message = SpinnerLine.check(message);
        this.child = ChildJvm.of(SpinnerMain.class).jvmOptions(jvmOptions).args("pipe", SpinnerMain.encode(message))
                .watchOutput(this::countFrames).start();
    }

    private void countFrames(String text) {
        // A frame is a carriage return followed by a frame character; the pair may be split across pieces.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (afterReturn && Spinner.FRAMES.indexOf(c) >= 0) {
                frames.incrementAndGet();
            }
            afterReturn = c == '\r';
        }
    }

    /** The child JVM's process handle: its pid, parent, command. */
    public ProcessHandle process() {
        return child.handle();
    }

    @Override
    public String message() {
        return message;
    }

    @Override
    public int frames() {
        return frames.get();
    }

    /** Tells the child to stop, waits until it has cleared its line and ended; kills it if it does not. */
    @Override
    public void close() {
        try {
            if (child.isAlive()) {
                child.send("stop");
            }
        } catch (RuntimeException alreadyGone) {
            // The child ended on its own; closing below still cleans up.
        }
        try {
            child.waitFor(Duration.ofSeconds(5));
        } finally {
            child.close();
        }
    }

    @Override
    public String toString() {
        return "ProcessSpinner[pid=" + child.pid() + ", frames=" + frames() + "]";
    }
}
