package dev.jcn.helpers.cluster;

import com.hazelcast.map.IMap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Claims, for a member's workers, the jobs whose task still runs {@link #CLAIM_AFTER_MILLIS} ms after the worker
 * took it ({@link Job.Claim}): a short task's result records its attempt itself, and a claim with its backup and
 * acknowledgement was about a fifth of a queued task's messages and CPU.
 *
 * <p>When {@code delay()} wrote a job's entry and queued the job at once, a worker could take a job before its
 * entry was written, and its claim could get there first (measured here at load 4-7, the first jobs of new member
 * JVMs: entries written up to 47 ms after a worker took the job, and claims sent up to 13 ms before the entry was
 * written). Entries are written before their job is queued today, and the resend stays as a safeguard: a
 * claim that finds no entry is sent again after 10, 20, 40 ... ms, {@value #MISSING_TRIES} claims at most in
 * 1.3 s (a job withdrawn while it runs is never there). A claim not sent again left the job held by nobody while
 * it ran: its state said waiting, a member killed under it was not noticed at once, and the redelivery's sweep,
 * finding it neither held nor queued, queued it a second time.
 *
 * <p>One thread watches every worker's current job. It sleeps until the earliest claim is due, and a worker wakes
 * it only when it had nothing to watch: a run of short jobs that end before their claim is due costs it no
 * wake-up per job. (A timer task per job, cancelled when the task ended, woke the timer's thread for each job:
 * 0.05 ms on the task's path on this 2-core machine.)
 *
 * <pre>{@code
 * ClaimWatch.Running r = watch.started(worker, job, start);
 * JobResult result = run(job);
 * CompletableFuture<Boolean> claim = watch.ended(worker, r);   // null if the task ended before its claim was due
 * }</pre>
 */
final class ClaimWatch {

    static final long CLAIM_AFTER_MILLIS = 10;
    static final int MISSING_TRIES = 8;
    private static final long CLAIM_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(CLAIM_AFTER_MILLIS);

    /** A job a worker runs, and whether its claim was sent. */
    static final class Running {
        private static final int WAITING = 0;
        private static final int CLAIMING = 1;
        private static final int ENDED = 2;

        private final Job job;
        private final long startNanos;
        private volatile long due = System.nanoTime() + CLAIM_AFTER_NANOS;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        /** Claims sent that found no entry; only the answer to the one claim in flight changes it. */
        private volatile int missing;
        private final CompletableFuture<Boolean> claim = new CompletableFuture<>();

        private Running(Job job, long startNanos) {
            this.job = job;
            this.startNanos = startNanos;
        }

        /** How many of its claims found no entry. */
        int missed() {
            return missing;
        }
    }

    private final IMap<String, Job> jobs;
    private final String member;
    private final String address;
    private final AtomicReferenceArray<Running> running;
    private final Thread thread;
    private volatile boolean idle;
    private volatile boolean stopped;

    /** Starts the watching thread, named after the member, for {@code workers} workers numbered from 0. */
    ClaimWatch(IMap<String, Job> jobs, String member, String address, int workers) {
        this.jobs = jobs;
        this.member = member;
        this.address = address;
        this.running = new AtomicReferenceArray<>(workers);
        this.thread = Thread.ofPlatform().name("jcn-claims-" + address).daemon(true).start(this::watch);
    }

    /** Worker {@code worker} took {@code job} at {@code startNanos} (nanoseconds since the epoch). */
    Running started(int worker, Job job, long startNanos) {
        Running r = new Running(job, startNanos);
        running.set(worker, r);
        if (idle) {
            LockSupport.unpark(thread);
        }
        return r;
    }

    /**
     * The task of {@code r} ended: its claim, if not sent yet, never will be. Returns the answer of the claim in
     * flight (true if the member holds the job), else null.
     */
    CompletableFuture<Boolean> ended(int worker, Running r) {
        running.compareAndSet(worker, r, null);
        // A claim's answer can put it back to waiting meanwhile (the entry was missing): then none is in flight.
        while (true) {
            if (r.state.compareAndSet(Running.WAITING, Running.ENDED)) {
                return null;
            }
            if (r.state.compareAndSet(Running.CLAIMING, Running.ENDED)) {
                return r.claim;
            }
        }
    }

    /** Ends the watching thread; claims already sent still complete. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void watch() {
        while (!stopped) {
            long wait = claimDue();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            // Nothing to watch: say so, then look once more, so that a worker that started a job meanwhile either
            // is seen here or sees the flag and wakes this thread.
            idle = true;
            if (claimDue() == 0 && !stopped) {
                LockSupport.park(this);
            }
            idle = false;
        }
    }

    /** Sends the claims that are due; returns the nanoseconds until the next one is, or 0 if none is waiting. */
    private long claimDue() {
        long now = System.nanoTime();
        long next = 0;
        for (int i = 0; i < running.length(); i++) {
            Running r = running.get(i);
            if (r == null || r.state.get() != Running.WAITING) {
                continue;
            }
            long left = r.due - now;
            if (left <= 0) {
                if (r.state.compareAndSet(Running.WAITING, Running.CLAIMING)) {
                    send(r);
                }
            } else if (next == 0 || left < next) {
                next = left;
            }
        }
        return next;
    }

    private void send(Running r) {
        try {
            jobs.submitToKey(r.job.key(), new Job.Claim(member, address, r.startNanos))
                    .whenComplete((claimed, failed) -> {
                        if (failed != null) {
                            r.claim.completeExceptionally(failed);
                        } else if (claimed != Job.Claimed.MISSING || !again(r)) {
                            r.claim.complete(claimed == Job.Claimed.CLAIMED);
                        }
                    });
        } catch (RuntimeException e) {
            r.claim.completeExceptionally(e);
        }
    }

    /** Puts the claim of {@code r}, which found no entry, back to waiting; false if it is not sent again. */
    private boolean again(Running r) {
        int missed = r.missing + 1;
        r.missing = missed;
        if (missed >= MISSING_TRIES) {
            return false;
        }
        r.due = System.nanoTime() + (CLAIM_AFTER_NANOS << (missed - 1));
        if (!r.state.compareAndSet(Running.CLAIMING, Running.WAITING)) {
            return false;   // the task ended meanwhile, and its worker waits for this answer
        }
        LockSupport.unpark(thread);
        return true;
    }
}
