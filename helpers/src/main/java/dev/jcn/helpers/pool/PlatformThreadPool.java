package dev.jcn.helpers.pool;

import java.time.Duration;
import java.util.List;

/**
 * Workers on platform threads (OS threads) taking jobs from one shared {@code BlockingQueue} until each takes a poison pill, and
 * posting results on a result queue that the caller reads, counting finished workers, as in {@code procs.py}.
 *
 * <pre>{@code
 * PoolRun run = Pools.threads(4).run();
 * System.out.println(run.report());
 * }</pre>
 */
public final class PlatformThreadPool implements WorkerPool {

    private final int workers;
    private final boolean racy;
    private final Duration collectorPause;

    PlatformThreadPool(int workers, boolean racy) {
        this(workers, racy, Duration.ZERO);
    }

    private PlatformThreadPool(int workers, boolean racy, Duration collectorPause) {
        this.workers = Jobs.workers(workers);
        this.racy = racy;
        this.collectorPause = collectorPause;
    }

    /**
     * The same pool whose collector spends {@code pause} on every result it reads, like a slow console: the
     * racy collector then falls behind the workers (the correct one only gets slower).
     */
    public PlatformThreadPool collectorPause(Duration pause) {
        return new PlatformThreadPool(workers, racy, Jobs.pause(pause));
    }

    @Override
    public String model() {
        return racy ? "racy-threads" : "threads";
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        return ThreadWorkers.run(model(), workers, Jobs.numbers(numbers), Thread.ofPlatform().daemon(true), racy,
                collectorPause);
    }

    @Override
    public String toString() {
        return "PlatformThreadPool[" + model() + ", workers=" + workers + "]";
    }
}
