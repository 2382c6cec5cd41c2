package dev.jcn.helpers.spinner;

import java.io.PrintStream;
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
public final class VirtualThreadSpinner extends ThreadSpinner {

    /** Starts spinning with {@code message} on the current {@link System#out}. */
    public VirtualThreadSpinner(String message) {
        this(message, () -> System.out);
    }

    /** Starts spinning with {@code message} on {@code out}. */
    public VirtualThreadSpinner(String message, PrintStream out) {
        this(message, () -> out);
    }

    private VirtualThreadSpinner(String message, Supplier<PrintStream> out) {
        super(message, out, Thread.ofVirtual().name("spinner"), SpinnerLine::napUntilInterrupted);
    }

    @Override
    void stop() {
        thread().interrupt();
    }
}
