package dev.jcn.helpers.pool;

import dev.jcn.helpers.cluster.Cluster;

import java.util.List;

/**
 * The cluster as one more model for sweeps: {@code members} member JVMs on loopback ({@link Cluster#localJvms}),
 * one job per number through the cluster's queue, every result stored once.
 *
 * <pre>{@code
 * PoolRun run = Pools.cluster(2).run();       // starts 2 member JVMs, runs the 20 jobs, stops the members
 * }</pre>
 *
 * <p>A run starts its members, runs the batch once untimed (the members' JIT compiles the prime loop), then
 * times it (first job queued to last result) and stops the members: a cluster is started once and serves
 * many batches, so its start-up is measured apart
 * ({@code Cluster.startedMembers()}), unlike the process pool, whose run starts its workers as
 * {@code procs.py} does.
 */
public final class ClusterPool implements WorkerPool {

    private final int members;

    ClusterPool(int members) {
        this.members = Jobs.workers(members);
    }

    @Override
    public String model() {
        return "cluster";
    }

    @Override
    public int workers() {
        return members;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        List<Long> checked = Jobs.numbers(numbers);
        try (Cluster cluster = Cluster.localJvms(members, line -> { })) {
            cluster.run(checked);   // untimed: the members' JIT compiles the prime loop first
            return cluster.run(checked).toPoolRun();
        }
    }

    @Override
    public String toString() {
        return "ClusterPool[" + members + " member JVMs]";
    }
}
