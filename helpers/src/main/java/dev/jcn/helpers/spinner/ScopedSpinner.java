package dev.jcn.helpers.spinner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * The spinner as structured concurrency (the shape of asyncio's {@code TaskGroup}): a
 * {@link StructuredTaskScope} forks the spinner and the work as two virtual threads; when the work
 * completes, the scope cancels the spinner; nothing outlives the call.
 *
 * <pre>{@code
 * SpinOutcome<Integer> outcome = ScopedSpinner.supervise("thinking!", () -> {
 *     Thread.sleep(3000);
 *     return 42;
 * });
 * System.out.println("Answer: " + outcome.value() + " after " + outcome.frames() + " frames");
 * }</pre>
 *
 * <p>{@code StructuredTaskScope} is a preview API in Java 25 (run with {@code --enable-preview}).
 */
public final class ScopedSpinner {

    private ScopedSpinner() {
    }

    /** Runs {@code work} while a spinner with {@code message} turns on {@link System#out}. */
    public static <T> SpinOutcome<T> supervise(String message, Callable<T> work) {
        return supervise(message, work, null);
    }

    /**
     * Runs {@code work} while a spinner with {@code message} turns on {@code out}.
     *
     * @throws IllegalStateException wrapping the work's exception if it failed (unchecked exceptions and
     *                               errors are rethrown as they are)
     * @throws CancellationException if the calling thread is interrupted
     */
    public static <T> SpinOutcome<T> supervise(String message, Callable<T> work, PrintStream out) {
        SpinnerLine line = new SpinnerLine(message, () -> out == null ? System.out : out);
        long t0 = System.nanoTime();
        // The first subtask to finish (the work, normally) cancels the scope, which interrupts the spinner.
        try (var scope = StructuredTaskScope.open(Joiner.<Object>allUntil(done -> true))) {
            scope.fork(() -> line.spin(SpinnerLine::napUntilInterrupted));
            Subtask<T> result = scope.fork(work);
            scope.join();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            return switch (result.state()) {
                case SUCCESS -> new SpinOutcome<>(result.get(), line.frames(), elapsed);
                case FAILED -> throw rethrow(result.exception());
                case UNAVAILABLE -> throw new IllegalStateException("the spinner ended before the work did");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while supervising work");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("the supervised work failed: " + t, t);
    }
}
