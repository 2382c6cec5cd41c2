package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The result queue of one run and what the collecting thread learns from it: the parent side of
 * {@code procs.py}'s {@code report()}, shared by every queue-based pool.
 */
final class RunLog {

    /** What a worker tells the collector. */
    sealed interface Message permits Answer, Finished, Died {
    }

    /** A result and when its job ran. */
    record Answer(PrimeResult result, JobSpan span) implements Message {
    }

    /** A worker took its poison pill (or could not go on) and stopped: the collector counts these. */
    record Finished(int worker, Throwable error) implements Message {
    }

    /** A worker died during job {@code n}; {@code retry} says whether the job goes back on the queue. */
    record Died(JobSpan span, boolean retry) implements Message {
    }

    private final long t0 = System.nanoTime();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final List<PrimeResult> results = new ArrayList<>();
    private final List<JobSpan> timeline = new ArrayList<>();
    private final List<Long> retried = new ArrayList<>();
    private final List<Long> failed = new ArrayList<>();
    private int finished;
    private Throwable firstError;

    /** Time since the run started. */
    Duration now() {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Posts a message; never blocks (the queue is unbounded). */
    void post(Message message) {
        messages.add(message);
    }

    /** Takes every message until {@code workers} workers finished, then returns the run. */
    PoolRun collect(String model, int workers, List<Long> numbers) {
        return collect(model, workers, numbers, Duration.ZERO);
    }

    /** {@link #collect(String, int, List)}, spending {@code pause} on every result, like a slow console. */
    PoolRun collect(String model, int workers, List<Long> numbers, Duration pause) {
        while (finished < workers) {
            Message m = take();
            handle(m);
            if (m instanceof Answer) {
                pause(pause);
            }
        }
        return finish(model, workers, numbers);
    }

    /**
     * The racy collector of the first {@code procs.py}: takes a result, spends {@code pause} on it (the time a
     * slow console takes to print it), and stops as soon as the job queue looks empty, returning the run as it
     * stands: results still queued then are lost. The job queue empties when the last worker takes its poison
     * pill, so a collector that keeps up loses nothing; one that falls behind loses what it had not read yet.
     * Where the original would wait forever (it read the last result while the last pill was still queued,
     * and no result ever comes again), this one stops once every worker has finished.
     */
    PoolRun collectUntilJobsLookEmpty(String model, int workers, List<Long> numbers,
                                      java.util.function.BooleanSupplier jobsLookEmpty, Duration pause) {
        while (finished < workers) {
            Message m = take();
            handle(m);
            if (m instanceof Answer) {
                pause(pause);
                if (jobsLookEmpty.getAsBoolean()) {
                    break;
                }
            }
        }
        return finish(model, workers, numbers);
    }

    private static void pause(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("pool run interrupted");
        }
    }

    /** The run as collected so far; rethrows a worker's unexpected error. */
    PoolRun finish(String model, int workers, List<Long> numbers) {
        if (firstError instanceof RuntimeException r) {
            throw r;
        }
        if (firstError instanceof Error e) {
            throw e;
        }
        if (firstError != null) {
            throw new IllegalStateException("a worker failed: " + firstError, firstError);
        }
        return new PoolRun(model, workers, numbers, results, timeline, now(), finished, retried, failed);
    }

    private Message take() {
        try {
            Message m = messages.poll(10, TimeUnit.MINUTES);
            if (m == null) {
                throw new IllegalStateException("no worker reported anything for 10 minutes");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("pool run interrupted");
        }
    }

    private void handle(Message m) {
        switch (m) {
            case Answer a -> {
                results.add(a.result());
                timeline.add(a.span());
            }
            case Died d -> {
                timeline.add(d.span());
                (d.retry() ? retried : failed).add(d.span().n());
            }
            case Finished f -> {
                finished++;
                if (f.error() != null && firstError == null) {
                    firstError = f.error();
                }
            }
        }
    }
}
