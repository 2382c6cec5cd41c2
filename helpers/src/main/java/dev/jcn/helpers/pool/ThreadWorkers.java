package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Worker threads over one shared job queue, ended by a poison pill each: {@code procs.py} with threads.
 * The racy variant's collector stops once the job queue looks empty, as the first {@code procs.py} did.
 */
final class ThreadWorkers {

    /** A job; the pill is compared by identity, which works inside one JVM. */
    private record Job(long n) {
    }

    private static final Job POISON_PILL = new Job(-1);

    private ThreadWorkers() {
    }

    static PoolRun run(String model, int workers, List<Long> numbers, Thread.Builder threads, boolean racy,
                       Duration collectorPause) {
        BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
        numbers.forEach(n -> jobs.add(new Job(n)));
        for (int i = 0; i < workers; i++) {
            jobs.add(POISON_PILL);
        }
        RunLog log = new RunLog();
        List<Thread> started = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                int worker = i;
                started.add(threads.name(model + "-worker-" + i).start(() -> work(worker, jobs, log)));
            }
            return racy ? log.collectUntilJobsLookEmpty(model, workers, numbers, jobs::isEmpty, collectorPause)
                    : log.collect(model, workers, numbers, collectorPause);
        } finally {
            stop(started);
        }
    }

    private static void work(int worker, BlockingQueue<Job> jobs, RunLog log) {
        Throwable error = null;
        try {
            while (true) {
                Job job = jobs.take();
                if (job == POISON_PILL) {
                    break;
                }
                Duration start = log.now();
                PrimeResult result = Primes.check(job.n());
                log.post(new RunLog.Answer(result, new JobSpan(worker, job.n(), start, log.now(), true)));
            }
        } catch (InterruptedException | CancellationException stopped) {
            // Stopped by the run's owner: not an error of the worker.
        } catch (Throwable t) {
            error = t;
        }
        log.post(new RunLog.Finished(worker, error));
    }

    /** Interrupts and joins the workers (bounded), so no thread outlives the run. */
    static void stop(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            try {
                if (!t.join(Duration.ofSeconds(5))) {
                    System.err.println(t + " did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
