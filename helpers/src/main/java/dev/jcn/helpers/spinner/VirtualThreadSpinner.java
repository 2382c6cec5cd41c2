package dev.jcn.helpers.spinner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The notes' {@code spinner_async.py} in Java: a virtual thread draws the frames and sleeps between them;
 * {@link #close()} cancels it by interruption, as {@code spinner.cancel()} cancels the asyncio task.
 *
 * <pre>{@code
 * try (var spinner = new VirtualThreadSpinner("thinking!")) {
 *     Thread.sleep(3000);                 // sleeping unmounts this thread too: the spinner keeps turning
 * }
 * }</pre>
 *
 * <p>Virtual threads are not time-sliced: on a single carrier thread
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}) a CPU-bound virtual thread starves this spinner
 * until it blocks or yields, which is the asyncio freeze of the notes (see {@link SpinnerDemo}).
 */
public final class VirtualThreadSpinner implements Spinner {

    private final SpinnerLine line;
    private final Thread thread;

    /** Starts spinning with {@code message} on the current {@link System#out}. */
    public VirtualThreadSpinner(String message) {
        this(message, () -> System.out);
    }

    /** Starts spinning with {@code message} on {@code out}. */
    public VirtualThreadSpinner(String message, PrintStream out) {
        this(message, () -> out);
    }

    private VirtualThreadSpinner(String message, Supplier<PrintStream> out) {
        this.line = new SpinnerLine(message, out);
        this.thread = Thread.ofVirtual().name("spinner").start(() -> line.spin(SpinnerLine::napUntilInterrupted));
    }

    /** The spinner's virtual thread. */
    public Thread thread() {
        return thread;
    }

    @Override
    public String message() {
        return line.message();
    }

    @Override
    public int frames() {
        return line.frames();
    }

    @Override
    public void close() {
        thread.interrupt();
        Joins.join(thread, Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "VirtualThreadSpinner[" + thread + ", frames=" + frames() + "]";
    }
}
