package dev.jcn.helpers.pool;

import java.time.Duration;
import java.util.List;

/**
 * Workers on virtual threads taking jobs from one shared {@code BlockingQueue} until each takes a poison pill, and
 * posting results on a result queue that the caller reads, counting finished workers, as in {@code procs.py}.
 *
 * <pre>{@code
 * PoolRun run = Pools.virtualThreads(4).run();
 * System.out.println(run.report());
 * }</pre>
 */
public final class VirtualThreadPool implements WorkerPool {

    private final int workers;
    private final boolean racy;

    VirtualThreadPool(int workers, boolean racy) {
        this.workers = Jobs.workers(workers);
        this.racy = racy;
    }

    @Override
    public String model() {
        return racy ? "racy-virtual" : "virtual";
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        return ThreadWorkers.run(model(), workers, Jobs.numbers(numbers), Thread.ofVirtual(), racy, Duration.ZERO);
    }

    @Override
    public String toString() {
        return "VirtualThreadPool[" + model() + ", workers=" + workers + "]";
    }
}
