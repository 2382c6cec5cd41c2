package dev.jcn.helpers.cluster;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The handle {@link Cluster#delay} returns, like Celery's {@code AsyncResult}: the job's id, its state, and
 * its result once a member has stored one.
 *
 * <pre>{@code
 * AsyncResult<PrimeResult> r = cluster.delay(new PrimeCheck(7));
 * r.id();                               // "d-1f3a9c2e"
 * r.state();                            // "PENDING", "STARTED", "SUCCESS" or "FAILURE"
 * r.get(Duration.ofSeconds(10));        // waits; a failure is thrown with its one-line reason
 * r.forget();                           // removes the job and its result from the cluster
 * }</pre>
 *
 * @param <R> the task's result type
 */
public final class AsyncResult<R extends Serializable> {

    private final String key;
    private final String task;
    private final CompletableFuture<JobResult> stored;
    private final Cluster cluster;
    private volatile boolean forgotten;

    AsyncResult(String key, String task, CompletableFuture<JobResult> stored, Cluster cluster) {
        this.key = key;
        this.task = task;
        this.stored = stored;
        this.cluster = cluster;
    }

    /** The job's key in the cluster's maps. */
    public String id() {
        return key;
    }

    /** Whether a result (or a failure) is stored. */
    public boolean ready() {
        return stored.isDone() || cluster.lookup(key) != null;
    }

    /**
     * Celery's states: PENDING (queued, or unknown: forgotten), STARTED (a member holds it), SUCCESS or FAILURE.
     */
    public String state() {
        JobResult r = stored.isDone() && !forgotten ? stored.join() : cluster.lookup(key);
        if (r != null) {
            return r.succeeded() ? "SUCCESS" : "FAILURE";
        }
        return heldBy().isPresent() ? "STARTED" : "PENDING";
    }

    /**
     * Waits at most {@code timeout} until a member has taken the job, and returns that member's address.
     *
     * @throws IllegalStateException if none took it in time
     */
    public String startedOn(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var held = heldBy();
            if (held.isPresent()) {
                return held.get();
            }
            if (stored.isDone()) {
                return stored.join().address();
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("no member took task " + task + " (" + key + ") within "
                        + timeout.toMillis() + " ms");
            }
            try {
                stored.get(10, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException again) {
                // Look at the job once more.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for " + key);
            }
        }
    }

    /** The address of the member running the job now, if one is. */
    public java.util.Optional<String> heldBy() {
        return cluster.holder(key);
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @throws IllegalStateException     with the task's one-line failure, if it failed
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     * @throws IllegalStateException     if no result came in time
     */
    @SuppressWarnings("unchecked")
    public R get(Duration timeout) {
        JobResult r = await(timeout);
        if (!r.succeeded()) {
            throw new IllegalStateException(r.failure());
        }
        return (R) r.value();
    }

    /** The stored record: value or failure, the attempt and the member that produced it. */
    public JobResult result(Duration timeout) {
        return await(timeout);
    }

    private JobResult await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return stored.get(Math.max(1, Math.min(left, 500_000_000L)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // An event can be missed while members change: look the result up directly now and then.
                JobResult r = cluster.lookup(key);
                if (r != null) {
                    stored.complete(r);
                    return r;
                }
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException("task " + task + " (" + key + ") has no result after "
                            + timeout.toMillis() + " ms; state " + state());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for " + key);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Removes the job and its stored result from the cluster, like Celery's {@code forget()}: a cluster that
     * lives long does not keep every result. Closing a cluster this notebook started removes everything anyway.
     */
    public void forget() {
        forgotten = true;
        cluster.forget(key);
    }

    @Override
    public String toString() {
        return "AsyncResult[" + task + " " + key + (stored.isDone() ? ", ready" : "") + "]";
    }
}
