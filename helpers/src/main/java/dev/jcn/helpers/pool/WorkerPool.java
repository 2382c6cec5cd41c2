package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.Primes;

import java.util.List;

/**
 * One concurrency model that checks a list of numbers with the fixture's {@code isPrime}: every model is one
 * small type behind this interface, so sweeps, charts and tests treat them alike. Make them with {@link Pools}.
 *
 * <pre>{@code
 * PoolRun run = Pools.threads(4).run();                 // the 20 NUMBERS
 * PoolRun some = Pools.processes(2).run(List.of(7L, 9L, 11L));
 * }</pre>
 *
 * <p>A run starts its workers, checks every number and stops every worker before it returns: nothing is left
 * running. An interrupted run stops its workers and throws {@link java.util.concurrent.CancellationException}.
 */
public sealed interface WorkerPool
        permits SequentialPool, PlatformThreadPool, VirtualThreadPool, ExecutorPool, ProcessPool, ClusterPool {

    /** The model's name, as sweeps and charts show it ("threads", "processes", ...). */
    String model();

    /** How many workers a run uses. */
    int workers();

    /**
     * Checks {@code numbers}.
     *
     * @throws IllegalArgumentException if the list is empty or holds a negative number
     */
    PoolRun run(List<Long> numbers);

    /** Checks the fixture's 20 {@link Primes#NUMBERS}. */
    default PoolRun run() {
        return run(Primes.NUMBERS);
    }
}
