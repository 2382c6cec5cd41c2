package dev.jcn.helpers.timing;

import dev.jcn.helpers.pool.JobSpan;
import dev.jcn.helpers.pool.PoolRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * Timing.overheadPerJob(Pools.processes(2).run());      // the pipe's round trip per job
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

    /**
     * The median time a job of {@code run} spent outside its worker's own computation: over each worker's jobs
     * after its first (which includes starting the worker), the job's span less the time the worker reported
     * for it. For the process pool that is the round trip through the pipes.
     *
     * @throws IllegalArgumentException if no worker did more than one job
     */
    public static Duration overheadPerJob(PoolRun run) {
        Map<Long, Double> own = new HashMap<>();
        run.results().forEach(r -> own.put(r.n(), r.seconds()));
        Set<Integer> started = new HashSet<>();
        List<Double> later = new ArrayList<>();
        for (JobSpan span : run.timeline()) {
            if (!started.add(span.worker()) && span.completed()) {
                later.add(span.seconds() - own.getOrDefault(span.n(), 0.0));
            }
        }
        if (later.isEmpty()) {
            throw new IllegalArgumentException("no worker of the run did more than one job");
        }
        return Duration.ofNanos(Math.round(median(later) * 1e9));
    }
}
