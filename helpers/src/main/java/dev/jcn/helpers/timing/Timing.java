package dev.jcn.helpers.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * Small timing tools for notebook cells: time a piece of code once, or take the median of several runs.
 *
 * <pre>{@code
 * Duration once = Timing.time(() -> Primes.isPrime(Primes.SLOW_PRIME));
 * Duration typical = Timing.median(5, () -> Primes.isPrime(Primes.SLOW_PRIME));
 * var timed = Timing.timed(() -> Primes.isPrime(7));     // timed.value(), timed.elapsed()
 * Timing.median(List.of(0.52, 0.49, 0.61));             // 0.52
 * }</pre>
 */
public final class Timing {

    private Timing() {
    }

    /**
     * A value and how long it took to compute.
     *
     * @param value   the result
     * @param elapsed the time it took
     * @param <T>     the result type
     */
    public record Timed<T>(T value, Duration elapsed) {

        /** The elapsed time in seconds. */
        public double seconds() {
            return elapsed.toNanos() / 1e9;
        }
    }

    /** How long {@code work} takes, once. */
    public static Duration time(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Runs {@code work} once and returns its value with the time it took.
     *
     * @throws IllegalStateException wrapping a checked exception thrown by the work
     */
    public static <T> Timed<T> timed(Callable<T> work) {
        long t0 = System.nanoTime();
        try {
            T value = work.call();
            return new Timed<>(value, Duration.ofNanos(System.nanoTime() - t0));
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("the timed work failed: " + e, e);
        }
    }

    /**
     * The median time of {@code repeats} runs of {@code work}.
     *
     * @throws IllegalArgumentException if {@code repeats < 1}
     */
    public static Duration median(int repeats, Runnable work) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        long[] nanos = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            nanos[i] = time(work).toNanos();
        }
        Arrays.sort(nanos);
        return Duration.ofNanos(repeats % 2 == 1 ? nanos[repeats / 2]
                : (nanos[repeats / 2 - 1] + nanos[repeats / 2]) / 2);
    }

    /**
     * The median of some numbers (the mean of the middle two for an even count).
     *
     * @throws IllegalArgumentException if there are none
     */
    public static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
