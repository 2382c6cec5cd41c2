package dev.jcn.helpers.spinner;

import java.time.Duration;

/**
 * The notes' spinner: frames {@code \|/-} drawn at 10 Hz on one line with {@code \r}, the line cleared at
 * the end. One small type per way of driving it, all behind this interface.
 *
 * <pre>{@code
 * try (Spinner s = new PlatformThreadSpinner("thinking!")) {
 *     Primes.isPrime(Primes.SLOW_PRIME);
 *     System.out.println(s.frames() + " frames drawn while the prime was checked");
 * }
 * }</pre>
 *
 * <p>Each spinner starts in its constructor; {@link #close()} stops it, waits until its line is cleared and
 * leaves no thread or process behind. {@link #frames()} counts the frames drawn so far, so a notebook can
 * show, and a test check, that it kept spinning while something else ran.
 */
public sealed interface Spinner extends AutoCloseable
        permits ThreadSpinner, ProcessSpinner, SharedMemorySpinner {

    /** The frame characters, in order. */
    String FRAMES = "\\|/-";

    /** Time between frames: 10 frames a second. */
    Duration INTERVAL = Duration.ofMillis(100);

    /** The message shown after the frame character. */
    String message();

    /** How many frames were drawn so far. */
    int frames();

    /** Stops the spinner, clears its line and waits until it is gone (bounded: a few seconds at most). */
    @Override
    void close();
}
