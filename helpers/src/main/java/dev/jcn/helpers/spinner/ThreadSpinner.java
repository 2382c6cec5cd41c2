package dev.jcn.helpers.spinner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the platform-thread and the virtual-thread spinners share: one thread of this JVM draws the
 * {@link SpinnerLine}, pausing between frames as the subclass says; {@link #close()} asks it to stop the
 * subclass's way and joins it.
 *
 * <pre>{@code
 * try (var s = new VirtualThreadSpinner("thinking!")) {
 *     System.out.println(s.thread());   // the thread drawing the frames
 * }
 * }</pre>
 */
abstract sealed class ThreadSpinner implements Spinner permits PlatformThreadSpinner, VirtualThreadSpinner {

    private final SpinnerLine line;
    private final Thread thread;

    /**
     * @param pause waits between two frames; returns true when the spinner must stop
     */
    ThreadSpinner(String message, Supplier<PrintStream> out, Thread.Builder builder, BooleanSupplier pause) {
        this.line = new SpinnerLine(message, out);
        this.thread = builder.start(() -> line.spin(pause));
    }

    /** Asks the spinner's thread to stop; {@link #close()} then joins it. */
    abstract void stop();

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
        stop();
        Joins.join(thread, Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + thread + ", frames=" + frames() + "]";
    }
}
