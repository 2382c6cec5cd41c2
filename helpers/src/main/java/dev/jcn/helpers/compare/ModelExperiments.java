package dev.jcn.helpers.compare;

import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.pool.PoolWorkerMain;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.pool.ProcessPool;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.process.ChildProcess;
import dev.jcn.helpers.timing.StartCosts;
import dev.jcn.helpers.timing.Timing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small experiments behind each cell of a {@link ModelRow}, for the five models of these notebooks.
 *
 * <pre>{@code
 * ModelRow threads = ModelExperiments.measure("threads", 2);
 * }</pre>
 *
 * <ul>
 * <li>start one worker: the median time to start and join a platform or a virtual thread, to start a fixed pool
 *     and get its first task's answer, or from starting a worker JVM to its first answer;</li>
 * <li>CPU-bound speedup: the fixture's 20 numbers on the model's pool, fastest of two runs, against the fastest
 *     of two sequential runs taken in between (the sequential model is the baseline: 1);</li>
 * <li>waits in flight: {@value #WAITS} waits of {@value #WAIT_MILLIS} ms given to the model (virtual threads
 *     get one each, as they are meant to be used; the others have their workers), timed: the waits' total
 *     divided by the time they took;</li>
 * <li>memory per worker: the growth of a fresh JVM's resident memory while many idle workers of the model
 *     exist, divided by their number; for a worker process, its own resident memory;</li>
 * <li>isolation: which process ids the workers of the waits ran in, next to the caller's;</li>
 * <li>worker death: a program runs the fixture on the model and one job calls {@code System.exit(3)}; what
 *     the program's exit code and its answers say happened.</li>
 * </ul>
 */
public final class ModelExperiments {

    /** The models measured, in table order. */
    public static final List<String> MODELS = List.of("sequential", "threads", "virtual", "executor", "processes");

    /** How many waits the I/O experiment gives each model. */
    public static final int WAITS = 40;

    /** How long each wait lasts. */
    public static final long WAIT_MILLIS = 50;

    /** Idle workers a fresh JVM starts to measure one worker's memory: many, so one is visible above noise. */
    private static final int PLATFORM_WORKERS_FOR_MEMORY = 200;
    private static final int VIRTUAL_WORKERS_FOR_MEMORY = 10_000;

    /** The job, by its index in the fixture, whose worker calls {@code System.exit(3)}. */
    private static final int DYING_JOB = 10;

    private ModelExperiments() {
    }

    /**
     * Measures every cell of one model's row.
     *
     * @throws IllegalArgumentException for an unknown model or fewer than 1 worker
     */
    public static ModelRow measure(String model, int workers) {
        check(model, workers);
        Waits waits = waits(model, workers);
        return new ModelRow(model, how(model, workers), startCost(model, waits), cpuSpeedup(model, workers),
                waits.inFlight(), memoryPerWorker(model, waits), isolation(model, waits), death(model, workers));
    }

    private static void check(String model, int workers) {
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; choose one of " + MODELS);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a model needs at least 1 worker, got " + workers);
        }
    }

    static String how(String model, int workers) {
        return switch (model) {
            case "sequential" -> "the caller, one job after another";
            case "threads" -> workers + " platform threads over a job queue";
            case "virtual" -> workers + " virtual threads over a job queue; one per wait";
            case "executor" -> "a fixed pool of " + workers + " platform threads";
            default -> workers + " worker JVMs fed over pipes";
        };
    }

    private static Duration startCost(String model, Waits waits) {
        return switch (model) {
            case "sequential" -> Duration.ZERO;
            case "threads" -> StartCosts.platformThread(200);
            case "virtual" -> StartCosts.virtualThread(200);
            case "executor" -> Timing.median(50, () -> {
                try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
                    pool.submit(() -> { }).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            default -> waits.workerStart();
        };
    }

    private static double cpuSpeedup(String model, int workers) {
        if (model.equals("sequential")) {
            return 1;
        }
        double sequential = Double.MAX_VALUE;
        double pool = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            sequential = Math.min(sequential, Pools.sequential().run().seconds());
            PoolRun run = Pools.of(model, workers).run();
            if (!run.complete()) {
                throw new IllegalStateException(model + " lost results: " + run);
            }
            pool = Math.min(pool, run.seconds());
        }
        return sequential / pool;
    }

    /**
     * What the I/O experiment found: how many waits were in flight on average, the process ids the workers ran
     * in, and for worker processes their start time and resident memory.
     */
    record Waits(double inFlight, Set<Long> pids, Duration workerStart, long workerMemory) {
    }

    static Waits waits(String model, int workers) {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        Runnable wait = () -> {
            pids.add(ProcessHandle.current().pid());
            sleep(WAIT_MILLIS);
        };
        if (model.equals("processes")) {
            return processWaits(workers);
        }
        long t0 = System.nanoTime();
        switch (model) {
            case "sequential" -> {
                for (int i = 0; i < WAITS; i++) {
                    wait.run();
                }
            }
            case "virtual" -> {
                try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < WAITS; i++) {
                        each.submit(wait);
                    }
                }
            }
            case "executor" -> {
                try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
                    for (int i = 0; i < WAITS; i++) {
                        pool.submit(wait);
                    }
                }
            }
            default -> {
                var left = new AtomicInteger(WAITS);
                List<Thread> started = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    started.add(Thread.ofPlatform().start(() -> {
                        while (left.getAndDecrement() > 0) {
                            wait.run();
                        }
                    }));
                }
                join(started);
            }
        }
        return new Waits(inFlight(System.nanoTime() - t0), pids, Duration.ZERO, 0);
    }

    private static double inFlight(long nanos) {
        return WAITS * WAIT_MILLIS * 1e6 / nanos;
    }

    /** The waits on worker JVMs, each fed by a thread of this JVM through its pipe, as the process pool does. */
    private static Waits processWaits(int workers) {
        List<ChildProcess> children = new ArrayList<>();
        List<BlockingQueue<String>> answers = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                long t0 = System.nanoTime();
                ChildProcess child = ChildJvm.of(PoolWorkerMain.class).jvmOptions(ProcessPool.WORKER_JVM_OPTIONS)
                        .onOutputLine(lines::add).start();
                children.add(child);
                answers.add(lines);
                child.send("W 0");
                await(lines);
                starts.add(System.nanoTime() - t0);
            }
            var left = new AtomicInteger(WAITS);
            List<Thread> feeders = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                ChildProcess child = children.get(w);
                BlockingQueue<String> lines = answers.get(w);
                feeders.add(Thread.ofPlatform().start(() -> {
                    while (left.getAndDecrement() > 0) {
                        child.send("W " + WAIT_MILLIS);
                        await(lines);
                    }
                }));
            }
            join(feeders);
            double inFlight = inFlight(System.nanoTime() - t0);
            long memory = (long) children.stream().mapToLong(c -> residentBytes(c.pid())).average().orElse(0);
            Set<Long> pids = Set.copyOf(children.stream().map(ChildProcess::pid).toList());
            return new Waits(inFlight, pids, Duration.ofNanos((long) Timing.median(starts)), memory);
        } finally {
            children.forEach(ChildProcess::close);
        }
    }

    private static void await(BlockingQueue<String> lines) {
        try {
            if (lines.poll(60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("a worker JVM did not answer within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    private static String isolation(String model, Waits waits) {
        long self = ProcessHandle.current().pid();
        if (model.equals("sequential")) {
            return "not needed: the caller did every job itself (pid " + self + ")";
        }
        if (waits.pids().contains(self)) {
            return "none: every worker ran in the caller's process (pid " + self + "), sharing its memory";
        }
        return "each worker is a process of its own (" + waits.pids().size() + " pids, none the caller's "
                + self + "), with its own memory";
    }

    private static long memoryPerWorker(String model, Waits waits) {
        return switch (model) {
            case "sequential" -> 0;
            case "processes" -> waits.workerMemory();
            default -> {
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                try (ChildProcess child = ChildJvm.of(ModelExperiments.class).args("memory", model)
                        .onOutputLine(lines::add).start()) {
                    if (!child.waitFor(Duration.ofSeconds(120)) || child.exitCode() != 0) {
                        throw new IllegalStateException("the memory experiment failed: " + child.output());
                    }
                }
                yield lines.stream().filter(l -> l.startsWith("bytes_per_worker=")).findFirst()
                        .map(l -> Long.parseLong(l.substring("bytes_per_worker=".length())))
                        .orElseThrow(() -> new IllegalStateException("the memory experiment printed nothing"));
            }
        };
    }

    private static String death(String model, int workers) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        int exit;
        try (ChildProcess child = ChildJvm.of(ModelExperiments.class).args("death", model, Integer.toString(workers))
                .onOutputLine(lines::add).start()) {
            if (!child.waitFor(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the death experiment did not end within 120 s");
            }
            exit = child.exitCode();
        }
        long answered = lines.stream().filter(l -> l.startsWith("answered ")).count();
        boolean finished = lines.contains("finished");
        if (finished) {
            return String.format(Locale.ROOT, "only that worker ended; a new worker checked its number again and "
                    + "the program went on: %d of %d answered, exit code %d", answered, Primes.NUMBERS.size(), exit);
        }
        return String.format(Locale.ROOT, "the whole program ended at once, exit code %d: caller and every worker; "
                + "%d of %d answered before", exit, answered, Primes.NUMBERS.size());
    }

    /**
     * The experiments that need a fresh JVM. {@code memory MODEL}: starts many idle workers and prints
     * {@code bytes_per_worker=N}. {@code death MODEL WORKERS}: checks the fixture, printing {@code answered N} per
     * answer and {@code finished} at the end, while the job at index {@value #DYING_JOB} calls
     * {@code System.exit(3)} on its worker.
     */
    public static void main(String[] args) throws Exception {
        ChildMain.watchParent();
        check(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 1);
        if (args[0].equals("memory")) {
            System.out.println("bytes_per_worker=" + idleWorkersMemory(args[1]));
        } else {
            dieMidway(args[1], Integer.parseInt(args[2]));
            System.out.println("finished");
        }
    }

    private static long idleWorkersMemory(String model) throws InterruptedException {
        var release = new CountDownLatch(1);
        int n = model.equals("virtual") ? VIRTUAL_WORKERS_FOR_MEMORY : PLATFORM_WORKERS_FOR_MEMORY;
        var parked = new CountDownLatch(n);
        Runnable idle = () -> {
            parked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        System.gc();
        long before = residentBytes(ProcessHandle.current().pid());
        List<Thread> threads = new ArrayList<>();
        ExecutorService pool = model.equals("executor") ? Executors.newFixedThreadPool(n) : null;
        for (int i = 0; i < n; i++) {
            if (pool != null) {
                pool.submit(idle);
            } else {
                threads.add((model.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform()).start(idle));
            }
        }
        parked.await();
        long after = residentBytes(ProcessHandle.current().pid());
        release.countDown();
        join(threads);
        if (pool != null) {
            pool.close();
        }
        return Math.max(0, after - before) / n;
    }

    private static void dieMidway(String model, int workers) throws Exception {
        List<Long> numbers = Primes.NUMBERS;
        long dying = numbers.get(DYING_JOB);
        if (model.equals("processes")) {
            PoolRun run = Pools.processes(workers).exitingWorkerOn(dying, 1).run();
            run.results().forEach(r -> System.out.println("answered " + r.n()));
            return;
        }
        java.util.function.LongConsumer job = n -> {
            if (n == dying) {
                System.out.flush();
                System.exit(3);
            }
            System.out.println("answered " + n + " " + Primes.isPrime(n));
        };
        switch (model) {
            case "sequential" -> numbers.forEach(job::accept);
            case "executor" -> {
                try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
                    numbers.forEach(n -> pool.submit(() -> job.accept(n)));
                }
            }
            default -> {
                BlockingQueue<Long> jobs = new LinkedBlockingQueue<>(numbers);
                List<Thread> started = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    Runnable work = () -> {
                        for (Long n = jobs.poll(); n != null; n = jobs.poll()) {
                            job.accept(n);
                        }
                    };
                    started.add(model.equals("virtual") ? Thread.ofVirtual().start(work)
                            : Thread.ofPlatform().start(work));
                }
                join(started);
            }
        }
    }

    /** The resident memory of a process, from {@code /proc/PID/status} (Linux). */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the resident memory of process " + pid + ": " + e, e);
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }
}
