package dev.jcn.helpers.timing;

import dev.jcn.helpers.cluster.Cluster;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.pool.WorkerPool;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.AotCache;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.notebook.widgets.Progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A timing sweep: models × worker counts × repeats over the same numbers, into a {@link SweepResult}
 * (Tablesaw tables of runs and medians). The sequential model always runs too, as the speedup baseline.
 *
 * <pre>{@code
 * SweepResult r = Sweep.of("threads", "virtual", "processes", "executor")
 *         .workers(1, 2, 4).repeats(3)
 *         .showProgress()                      // a bar in JupyterLab, one line at the end headless
 *         .run();
 * r.medians();
 * CPython.Comparison py = Sweep.of("threads", "processes").workers(1, 2).repeats(1).runCPython(); // or skipped
 * Sweep.of("threads").workers(2).runCPython(Path.of("/usr/bin/python3.13t"));              // a chosen interpreter
 * }</pre>
 *
 * <p>Runs are interleaved (every model and worker count once, then again for the next repeat), so a slow
 * spell of a shared machine spreads over all models instead of hitting one; the model "cluster" runs last,
 * on one set of member JVMs grown from the smallest worker count to the largest. Before timing, one untimed
 * warm-up check lets the JIT compile the prime loop.
 */
public final class Sweep {

    static final String SEQUENTIAL = "sequential";
    private static final String CLUSTER = "cluster";

    /** Checked once, untimed, before a sweep: long enough (about 0.1 s) for the JIT to compile the loop. */
    private static final long WARM_UP_PRIME = 9_999_999_999_999_917L;

    private final List<String> models;
    private List<Integer> workers = List.of(1, 2, 4);
    private int repeats = 3;
    private List<Long> numbers = Primes.NUMBERS;
    private Consumer<SweepProgress> progress = p -> { };
    private boolean showProgress;
    private Progress bar;

    private Sweep(List<String> models) {
        for (String model : models) {
            if (!Pools.MODELS.contains(model)) {
                throw new IllegalArgumentException("unknown model '" + model + "'; choose from " + Pools.MODELS);
            }
        }
        this.models = List.copyOf(models);
    }

    /** A sweep over {@code models} (names from {@link Pools#MODELS}); "sequential" is always included. */
    public static Sweep of(String... models) {
        return of(Arrays.asList(models));
    }

    /** A sweep over {@code models}. */
    public static Sweep of(List<String> models) {
        return new Sweep(models);
    }

    /** The worker counts to try (default 1, 2, 4). */
    public Sweep workers(int... counts) {
        return workers(Arrays.stream(counts).boxed().toList());
    }

    /** The worker counts to try. */
    public Sweep workers(List<Integer> counts) {
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("give at least one worker count");
        }
        for (Integer c : counts) {
            if (c == null || c < 1) {
                throw new IllegalArgumentException("worker counts must be at least 1, got " + c);
            }
        }
        this.workers = List.copyOf(counts);
        return this;
    }

    /** How many times to run each combination (default 3). */
    public Sweep repeats(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        this.repeats = repeats;
        return this;
    }

    /** The numbers to check (default {@link Primes#NUMBERS}). */
    public Sweep numbers(List<Long> numbers) {
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("nothing to check: the list of numbers is empty");
        }
        for (Long n : numbers) {
            if (n == null || n < 1) {
                throw new IllegalArgumentException("numbers to check must be positive, got " + n);
            }
        }
        this.numbers = List.copyOf(numbers);
        return this;
    }

    /** Calls {@code callback} after every run. */
    public Sweep onProgress(Consumer<SweepProgress> callback) {
        this.progress = callback;
        return this;
    }

    /**
     * Shows the runs done with {@link Progress}: a bar with done/total, elapsed and ETA where the page shows
     * widgets, else one line ({@code sweep: 39/39 in 27.1 s}) when the sweep ends.
     */
    public Sweep showProgress() {
        this.showProgress = true;
        return this;
    }

    /** How many timed runs {@link #run()} does. */
    public int runCount() {
        return repeats * plan().size();
    }

    private List<int[]> plan() {
        // Each entry: index into models (-1 for sequential), worker count.
        List<int[]> plan = new ArrayList<>();
        plan.add(new int[]{-1, 1});
        for (int m = 0; m < models.size(); m++) {
            if (models.get(m).equals(SEQUENTIAL)) {
                continue;
            }
            for (int w : workers) {
                plan.add(new int[]{m, w});
            }
        }
        return plan;
    }

    /** Runs the sweep in this JVM. */
    public SweepResult run() {
        if (models.contains("processes") || models.contains("racy-processes") || models.contains(CLUSTER)) {
            AotCache.forClassPath(ChildJvm.classPath()).prepare(Duration.ofSeconds(60));
        }
        Primes.isPrime(WARM_UP_PRIME);
        List<int[]> plan = plan();
        int total = repeats * plan.size();
        List<PoolRun> runs = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        openProgress(total);
        try {
            runTimed(plan, total, runs, rows);
        } finally {
            endProgress();
        }
        return SweepResult.of("Java " + Runtime.version().feature(), numbers, runs, rows);
    }

    private void runTimed(List<int[]> plan, int total, List<PoolRun> runs, List<Object[]> rows) {
        int done = 0;
        for (int r = 1; r <= repeats; r++) {
            for (int[] step : plan) {
                String model = step[0] < 0 ? SEQUENTIAL : models.get(step[0]);
                if (model.equals(CLUSTER)) {
                    continue;
                }
                WorkerPool pool = Pools.of(model, step[1]);
                PoolRun run = pool.run(numbers);
                runs.add(run);
                rows.add(new Object[]{model, step[1], r, run.seconds()});
                report(new SweepProgress(++done, total, model, step[1], r, run.seconds()));
            }
        }
        if (models.contains(CLUSTER)) {
            runCluster(runs, rows, done, total);
        }
    }

    /**
     * The cluster's runs, after the others and not interleaved with them: one set of member JVMs grows through
     * the worker counts, since a member JVM takes seconds to start and a fresh cluster per run would make the
     * sweep mostly waiting. Each worker count gets one untimed batch first, as the models in this JVM get a
     * warm-up check, and each run times its batch alone, as {@link dev.jcn.helpers.pool.ClusterPool} does.
     */
    private void runCluster(List<PoolRun> runs, List<Object[]> rows, int done, int total) {
        List<Integer> counts = workers.stream().distinct().sorted().toList();
        try (Cluster cluster = Cluster.localJvms(counts.getFirst(), line -> { })) {
            for (int w : counts) {
                while (cluster.size() < w) {
                    cluster.addMember();
                }
                cluster.run(numbers);   // untimed: the new member's JIT compiles the prime loop first
                for (int r = 1; r <= repeats; r++) {
                    PoolRun run = cluster.run(numbers).toPoolRun();
                    runs.add(run);
                    rows.add(new Object[]{CLUSTER, w, r, run.seconds()});
                    report(new SweepProgress(++done, total, CLUSTER, w, r, run.seconds()));
                }
            }
        }
    }

    /**
     * Runs the same sweep on CPython with the notes' algorithm (our own script, {@code primes_bench.py}), for
     * the models CPython has: sequential, threads, processes.
     *
     * @return the timings, or a result whose {@link CPython.Comparison#skipped()} says why it could not run
     */
    public CPython.Comparison runCPython() {
        List<String> pythonModels = models.stream().filter(CPython.MODELS::contains).toList();
        return CPython.sweep(CPython.lookup(), pythonModels, workers, repeats, numbers, this::report,
                this::endProgress);
    }

    /**
     * {@link #runCPython()} with a chosen interpreter, e.g. a {@code python3.13t} to compare the free-threaded
     * build with the one that has a GIL.
     */
    public CPython.Comparison runCPython(Path python) {
        if (python == null) {
            throw new IllegalArgumentException("give the path of a python3 interpreter");
        }
        return runCPython(Optional.of(python));
    }

    private CPython.Comparison runCPython(Optional<Path> python) {
        List<String> pythonModels = models.stream().filter(CPython.MODELS::contains).toList();
        return CPython.sweep(python, pythonModels, workers, repeats, numbers, this::report, this::endProgress);
    }

    private void openProgress(int total) {
        if (showProgress && bar == null) {
            bar = Progress.start("sweep", total);
        }
    }

    void report(SweepProgress p) {
        // CPython's runs learn their total only as they start, so their bar opens at the first report.
        openProgress(p.total());
        if (bar != null) {
            bar.step();
        }
        progress.accept(p);
    }

    void endProgress() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Sweep[%s, workers %s, %d repeats, %d numbers: %d runs]",
                models, workers, repeats, numbers.size(), runCount());
    }
}
