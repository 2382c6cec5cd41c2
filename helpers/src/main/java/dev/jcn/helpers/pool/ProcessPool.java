package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A home-made process pool, the notes' {@code procs.py} in Java: child JVM workers ({@link PoolWorkerMain})
 * get jobs and send results as lines over their stdin/stdout pipes. The parent keeps one job queue holding the
 * numbers and then one poison pill per worker; a feeder thread per worker passes the next job to its child
 * when the child answers the previous one; the parent counts finished workers on the result queue.
 *
 * <pre>{@code
 * PoolRun run = Pools.processes(2).run();
 * PoolRun crash = Pools.processes(2).killingWorkerOn(9_999_999_999_999_917L, 1).run();
 * crash.retried();          // [9999999999999917]: its worker was killed, a new worker checked it again
 * }</pre>
 *
 * <p>Unlike {@code procs.py}, a worker that dies mid-job cannot hang the pool: its feeder sees the pipe close,
 * starts a replacement worker, and puts the job back at the head of the queue once; a job whose worker dies
 * a second time is reported failed. {@link #killingWorkerOn} kills a worker (SIGKILL, from outside) right
 * after it is given a chosen number, to show this.
 */
public final class ProcessPool implements WorkerPool {

    /**
     * JVM options every worker gets (before those of {@link #jvmOptions(String...)}): the JIT compiles only the
     * prime check ({@link Primes}' methods). A worker runs its own few lines of code a handful of times per job, so interpreting them
     * costs nothing that matters, while the dozens of start-up methods the JIT would otherwise compile in
     * each fresh JVM compete for the two cores with the other worker's start and with the prime check's own
     * compilation (measured here: the slower worker's first answer about 4 ms sooner, the same speed after).
     */
    public static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=compileonly," + Primes.class.getName() + "::*");

    private final int workers;
    private final boolean racy;
    private final List<String> jvmOptions;
    private final long killOn;
    private final int kills;
    private final boolean exitInstead;
    private final Duration collectorPause;

    ProcessPool(int workers, boolean racy, List<String> jvmOptions, long killOn, int kills) {
        this(workers, racy, jvmOptions, killOn, kills, false, Duration.ZERO);
    }

    private ProcessPool(int workers, boolean racy, List<String> jvmOptions, long killOn, int kills,
                        boolean exitInstead, Duration collectorPause) {
        this.workers = Jobs.workers(workers);
        this.racy = racy;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.killOn = killOn;
        this.kills = kills;
        this.exitInstead = exitInstead;
        this.collectorPause = collectorPause;
    }

    /** The exit code of a worker that {@link #exitingWorkerOn} makes call {@code System.exit}. */
    public static final int WORKER_EXIT_CODE = 3;

    /** The same pool with extra JVM options for every worker. */
    public ProcessPool jvmOptions(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(List.of(options));
        return new ProcessPool(workers, racy, all, killOn, kills, exitInstead, collectorPause);
    }

    /**
     * The same pool whose collector spends {@code pause} on every result it reads, like a slow console: the
     * racy collector then falls behind the workers (the correct one only gets slower).
     */
    public ProcessPool collectorPause(Duration pause) {
        return new ProcessPool(workers, racy, jvmOptions, killOn, kills, exitInstead, Jobs.pause(pause));
    }

    /**
     * The same pool, but the worker given {@code n} is killed right after it gets it, the first {@code times}
     * times: once shows the retry, twice shows the job reported failed.
     */
    public ProcessPool killingWorkerOn(long n, int times) {
        return dyingOn(n, times, false);
    }

    /**
     * The same pool, but the worker given {@code n} calls {@code System.exit(}{@value #WORKER_EXIT_CODE}{@code )}
     * instead of checking it, the first {@code times} times: a worker that ends itself mid-job.
     */
    public ProcessPool exitingWorkerOn(long n, int times) {
        return dyingOn(n, times, true);
    }

    private ProcessPool dyingOn(long n, int times, boolean exit) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be 0 or more, got " + times);
        }
        if (n < 1) {
            throw new IllegalArgumentException("the number must be positive, got " + n);
        }
        return new ProcessPool(workers, racy, jvmOptions, n, times, exit, collectorPause);
    }

    @Override
    public String model() {
        return racy ? "racy-processes" : "processes";
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        List<Long> checked = Jobs.numbers(numbers);
        if (checked.contains(PoolWorkerMain.POISON_PILL)) {
            throw new IllegalArgumentException("0 is the process pool's poison pill; it cannot be a job");
        }
        BlockingDeque<Long> jobs = new LinkedBlockingDeque<>(checked);
        for (int i = 0; i < workers; i++) {
            jobs.add(PoolWorkerMain.POISON_PILL);
        }
        RunLog log = new RunLog();
        Set<ChildProcess> children = ConcurrentHashMap.newKeySet();
        AtomicInteger killsLeft = new AtomicInteger(kills);
        Set<Long> retried = ConcurrentHashMap.newKeySet();
        List<Thread> feeders = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                int worker = i;
                feeders.add(Thread.ofPlatform().daemon(true).name("process-pool-feeder-" + i).start(
                        () -> feed(worker, jobs, log, children, killsLeft, retried)));
            }
            return racy ? log.collectUntilJobsLookEmpty(model(), workers, checked, jobs::isEmpty, collectorPause)
                    : log.collect(model(), workers, checked, collectorPause);
        } finally {
            children.forEach(ChildProcess::close);
            ThreadWorkers.stop(feeders);
        }
    }

    private ChildProcess startWorker(BlockingQueue<String> lines, Set<ChildProcess> children) {
        ChildProcess child = ChildJvm.of(PoolWorkerMain.class).jvmOptions(WORKER_JVM_OPTIONS).jvmOptions(jvmOptions)
                .onOutputLine(line -> {
                    if (line.startsWith("R ")) {
                        lines.add(line);
                    } else {
                        System.err.println(line);
                    }
                }).start();
        children.add(child);
        return child;
    }

    private void feed(int worker, BlockingDeque<Long> jobs, RunLog log, Set<ChildProcess> children,
                      AtomicInteger killsLeft, Set<Long> retried) {
        Throwable error = null;
        boolean finished = false;
        ChildProcess child = null;
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            child = startWorker(lines, children);
            while (true) {
                long n = jobs.take();
                Duration start = log.now();
                boolean dies = n != PoolWorkerMain.POISON_PILL && n == killOn && killsLeft.getAndDecrement() > 0;
                boolean sent = send(child, dies && exitInstead ? "X " + WORKER_EXIT_CODE : Long.toString(n));
                if (sent && dies && !exitInstead) {
                    child.kill();
                }
                String line = sent ? awaitLine(child, lines) : null;
                if (line == null) {
                    // The worker died mid-job: put the job back once, start a replacement worker.
                    boolean retry = n != PoolWorkerMain.POISON_PILL && retried.add(n);
                    if (n != PoolWorkerMain.POISON_PILL) {
                        log.post(new RunLog.Died(new JobSpan(worker, n, start, log.now(), false), retry));
                    }
                    if (retry) {
                        jobs.addFirst(n);
                    }
                    child.close();
                    children.remove(child);
                    if (n == PoolWorkerMain.POISON_PILL) {
                        break;
                    }
                    lines.clear();
                    child = startWorker(lines, children);
                    continue;
                }
                String[] parts = line.split(" ");
                long answered = Long.parseLong(parts[1]);
                if (answered == PoolWorkerMain.POISON_PILL) {
                    // Counted as soon as the sentinel arrives, as procs.py does; the exit is awaited after.
                    log.post(new RunLog.Finished(worker, null));
                    finished = true;
                    break;
                }
                var result = new PrimeResult(answered, Boolean.parseBoolean(parts[2]),
                        Duration.ofNanos(Long.parseLong(parts[3])));
                log.post(new RunLog.Answer(result, new JobSpan(worker, answered, start, log.now(), true)));
            }
            child.waitFor(Duration.ofSeconds(5));
        } catch (InterruptedException | CancellationException stopped) {
            // The run's owner stopped this feeder.
        } catch (Throwable t) {
            error = t;
        } finally {
            if (child != null) {
                child.close();
            }
        }
        if (!finished) {
            log.post(new RunLog.Finished(worker, error));
        }
    }

    /** Sends a job; false if the worker is already gone (its pipe is closed), which counts as dying on it. */
    private static boolean send(ChildProcess child, String job) {
        try {
            child.send(job);
            return true;
        } catch (java.io.UncheckedIOException gone) {
            return false;
        }
    }

    /** The child's next result line, or null once the child has died without one. */
    private static String awaitLine(ChildProcess child, BlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                return line;
            }
            if (!child.isAlive()) {
                // Lines already relayed before the exit still count.
                child.waitFor(Duration.ofSeconds(2));
                return lines.poll();
            }
        }
    }

    @Override
    public String toString() {
        return "ProcessPool[" + model() + ", workers=" + workers + (jvmOptions.isEmpty() ? "" : ", " + jvmOptions)
                + (kills > 0 ? (exitInstead ? ", exiting" : ", killing") + " the worker on " + killOn + " " + kills
                        + "x" : "") + "]";
    }

}
