package dev.jcn.helpers.spinner;

import java.io.PrintStream;
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
public final class PlatformThreadSpinner extends ThreadSpinner {

    private final Flag done;

    /** Starts spinning with {@code message} on the current {@link System#out}. */
    public PlatformThreadSpinner(String message) {
        this(message, () -> System.out);
    }

    /** Starts spinning with {@code message} on {@code out}. */
    public PlatformThreadSpinner(String message, PrintStream out) {
        this(message, () -> out);
    }

    private PlatformThreadSpinner(String message, Supplier<PrintStream> out) {
        Flag done = new Flag();
        this.done = done;
        super(message, out, Thread.ofPlatform().name("spinner").daemon(true), () -> done.await(INTERVAL));
    }

    @Override
    void stop() {
        done.set();
    }
}
