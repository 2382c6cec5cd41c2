package dev.jcn.helpers.pool;

import java.util.List;

/**
 * Makes a {@link WorkerPool} of each model, by method or by name (for parameter cells).
 *
 * <pre>{@code
 * Pools.sequential().run();
 * Pools.threads(2).run();          Pools.virtualThreads(2).run();
 * Pools.executor(2).run();         Pools.processes(2).run();
 * Pools.cluster(2).run();          // 2 Hazelcast member JVMs on loopback
 * Pools.of("threads", 4).run();    // by name, see MODELS
 * Pools.racyThreads(2).collectorPause(Duration.ofMillis(100)).run().missing();  // the first procs.py: lost
 * }</pre>
 */
public final class Pools {

    /** The model names {@link #of(String, int)} knows, in the order sweeps show them. */
    public static final List<String> MODELS = List.of("sequential", "threads", "virtual", "executor", "processes",
            "racy-threads", "racy-processes", "cluster");

    private Pools() {
    }

    /** The calling thread checks every number in order. */
    public static SequentialPool sequential() {
        return new SequentialPool();
    }

    /** Platform threads over a blocking queue with poison pills. */
    public static PlatformThreadPool threads(int workers) {
        return new PlatformThreadPool(workers, false);
    }

    /** Virtual threads over a blocking queue with poison pills. */
    public static VirtualThreadPool virtualThreads(int workers) {
        return new VirtualThreadPool(workers, false);
    }

    /** A fixed thread pool {@code ExecutorService}, one task per number. */
    public static ExecutorPool executor(int workers) {
        return new ExecutorPool(workers);
    }

    /** Child JVM workers fed over pipes, with poison pills; see {@link ProcessPool}. */
    public static ProcessPool processes(int workers) {
        return new ProcessPool(workers, false, List.of(), 0, 0);
    }

    /** Hazelcast member JVMs on loopback, one job per number; see {@link ClusterPool}. */
    public static ClusterPool cluster(int members) {
        return new ClusterPool(members);
    }

    /**
     * Platform threads whose collector stops as soon as the job queue looks empty after reading a result, like
     * the first version of {@code procs.py}. The job queue empties when the last worker takes its poison pill,
     * after putting its last result; a collector that keeps up with the workers has read everything by then,
     * one that falls behind ({@link PlatformThreadPool#collectorPause}, or a busy machine) loses the results it
     * had not read yet.
     */
    public static PlatformThreadPool racyThreads(int workers) {
        return new PlatformThreadPool(workers, true);
    }

    /** Child JVM workers whose collector stops once the job queue looks empty: see {@link #racyThreads}. */
    public static ProcessPool racyProcesses(int workers) {
        return new ProcessPool(workers, true, List.of(), 0, 0);
    }

    /**
     * The pool of model {@code model} (one of {@link #MODELS}) with {@code workers} workers; the sequential
     * model ignores the count.
     *
     * @throws IllegalArgumentException for an unknown model or fewer than 1 worker
     */
    public static WorkerPool of(String model, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker, got " + workers);
        }
        return switch (model) {
            case "sequential" -> sequential();
            case "threads" -> threads(workers);
            case "virtual" -> virtualThreads(workers);
            case "executor" -> executor(workers);
            case "processes" -> processes(workers);
            case "racy-threads" -> racyThreads(workers);
            case "racy-processes" -> racyProcesses(workers);
            case "cluster" -> cluster(workers);
            case null, default -> throw new IllegalArgumentException(
                    "unknown model '" + model + "'; choose one of " + MODELS);
        };
    }
}
