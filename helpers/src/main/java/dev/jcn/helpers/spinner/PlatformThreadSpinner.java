package dev.jcn.helpers.spinner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The notes' {@code spinner_thread.py}: a platform thread draws the frames and waits on a {@link Flag}
 * between them; {@link #close()} sets the flag and joins the thread.
 *
 * <pre>{@code
 * try (var spinner = new PlatformThreadSpinner("thinking!")) {
 *     Thread.sleep(3000);                 // the notes' slow()
 * }
 * System.out.println("Answer: 42");
 * }</pre>
 */
public final class PlatformThreadSpinner implements Spinner {

    private final SpinnerLine line;
    private final Flag done = new Flag();
    private final Thread thread;

    /** Starts spinning with {@code message} on the current {@link System#out}. */
    public PlatformThreadSpinner(String message) {
        this(message, () -> System.out);
    }

    /** Starts spinning with {@code message} on {@code out}. */
    public PlatformThreadSpinner(String message, PrintStream out) {
        this(message, () -> out);
    }

    private PlatformThreadSpinner(String message, Supplier<PrintStream> out) {
        this.line = new SpinnerLine(message, out);
        this.thread = Thread.ofPlatform().name("spinner").daemon(true)
                .start(() -> line.spin(() -> done.await(INTERVAL)));
    }

    /** The spinner's thread, for showing it ({@code Thread[#31,spinner,5,main]}). */
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
        done.set();
        Joins.join(thread, Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "PlatformThreadSpinner[" + thread + ", frames=" + frames() + "]";
    }
}
