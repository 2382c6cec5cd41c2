package dev.jcn.helpers.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.jcn.helpers.cluster.Cluster;
import dev.jcn.helpers.cluster.ClusterMember;
import dev.jcn.helpers.cluster.ClusterSettings;
import dev.jcn.helpers.cluster.PrimeCheck;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.timing.Timing;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's figures for {@link HelpersBenchmark}: member start (embedded, and member JVM start to joined),
 * the round trip of one small task sent with {@code delay()} across member JVMs (to an idle worker on the job's
 * owner, the result back as the call's answer) beside the process pool's pipe, and
 * the 20 NUMBERS through 1, 2 and 3 member JVMs against the sequential run.
 *
 * <pre>{@code
 * scripts/bench-helpers.sh --cluster      # this part alone
 * }</pre>
 */
final class ClusterBenchmark {

    private static final double GOAL_THREE_JVMS_SECONDS = 6;
    private static final double GOAL_ROUND_TRIP_MS = 2;

    private ClusterBenchmark() {
    }

    static void run(boolean quick) {
        int repeats = quick ? 2 : 3;
        memberStart(repeats);
        roundTrip(quick ? 200 : 500, quick ? 100 : 300);
        speedups(repeats);
    }

    private static void memberStart(int repeats) {
        System.out.printf(Locale.ROOT, "%ncluster member start (medians of %d; %s):%n", repeats, HelpersBenchmark.load());
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        double cold = -1;
        for (int i = 0; i <= repeats; i++) {
            try (Cluster c = Cluster.embedded(2, line -> { })) {
                List<ClusterMember> m = c.startedMembers();
                if (i == 0) {
                    cold = seconds(m.get(0).start());
                } else {
                    first.add(seconds(m.get(0).start()));
                    second.add(seconds(m.get(1).start()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "  embedded: first member %.2f s (first in this JVM %.2f s), second joins in %.2f s%n",
                Timing.median(first), cold, Timing.median(second));
        // Untimed: makes the members' AOT cache if this build of the jars has none yet.
        Cluster.localJvms(1, line -> { }).close();
        List<Double> three = new ArrayList<>();
        List<Double> each = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            try (Cluster c = Cluster.localJvms(3, line -> { })) {
                three.add((System.nanoTime() - t0) / 1e9);
                c.startedMembers().forEach(m -> each.add(seconds(m.start())));
            }
        }
        double median = Timing.median(three);
        System.out.printf(Locale.ROOT, "  3 member JVMs, start to all joined and the client connected %.2f s  goal <= %.0f s %s;"
                + " one JVM start -> joined %.2f s%n", median, GOAL_THREE_JVMS_SECONDS,
                HelpersBenchmark.mark(median <= GOAL_THREE_JVMS_SECONDS), Timing.median(each));
    }

    /**
     * A task's round trip, after {@code warmUp} untimed ones: fresh member JVMs interpret Hazelcast's code at
     * first, and the round trip kept falling for the first thousand or so tasks here as the JIT compiled it.
     * Beside it, in the same run: Hazelcast's own executor on the same members (one round trip to a member and
     * back, with no copy of the task kept anywhere, so no at-least-once execution and no stored result: the
     * floor under any queue built on these members), {@link LocalDispatchProbe} (a job sent to its key's owner
     * and run there), and the process pool's pipe.
     */
    private static void roundTrip(int warmUp, int tasks) {
        System.out.printf(Locale.ROOT, "%nround trip of one small task, sent and its result back (median of %d after %d; %s):%n",
                tasks, warmUp, HelpersBenchmark.load());
        List<Double> queued = new ArrayList<>();
        List<Double> executor = new ArrayList<>();
        List<Double> local = new ArrayList<>();
        try (Cluster c = Cluster.localJvms(2, line -> { })) {
            HazelcastInstance direct = HazelcastClient.newHazelcastClient(ClusterSettings.client(c.clusterName(),
                    c.startedMembers().stream().map(ClusterMember::address).toList(), 15));
            LocalDispatchProbe probe = new LocalDispatchProbe(direct);
            try {
                IExecutorService members = direct.getExecutorService("jcn.bench");
                for (int i = 0; i < warmUp; i++) {
                    c.delay(new PrimeCheck(2)).get(Duration.ofSeconds(30));
                    members.submit(new SmallCheck()).get(30, TimeUnit.SECONDS);
                    probe.roundTrip(new PrimeCheck(2));
                }
                // Interleaved, so that a busy spell of the shared machine weighs on both alike.
                for (int i = 0; i < tasks; i++) {
                    long t0 = System.nanoTime();
                    c.delay(new PrimeCheck(2)).get(Duration.ofSeconds(30));
                    long t1 = System.nanoTime();
                    members.submit(new SmallCheck()).get(30, TimeUnit.SECONDS);
                    long t2 = System.nanoTime();
                    probe.roundTrip(new PrimeCheck(2));
                    long t3 = System.nanoTime();
                    queued.add((t1 - t0) / 1e6);
                    executor.add((t2 - t1) / 1e6);
                    local.add((t3 - t2) / 1e6);
                }
            } catch (Exception e) {
                throw new IllegalStateException("a round trip beside the queue's failed: " + e, e);
            } finally {
                probe.close();
                direct.shutdown();
            }
        }
        double median = Timing.median(queued);
        PoolRun pool = Pools.processes(2).run();
        System.out.printf(Locale.ROOT, "  cluster of 2 member JVMs (delay, stored result): %.2f ms  goal <= %.0f ms %s%n",
                median, GOAL_ROUND_TRIP_MS, HelpersBenchmark.mark(median <= GOAL_ROUND_TRIP_MS));
        System.out.printf(Locale.ROOT, "  Hazelcast's executor on the same members:        %.2f ms  (no queue, no guarantee)%n",
                Timing.median(executor));
        System.out.printf(Locale.ROOT, "  probe: run on the job's owner (first half):      %.2f ms  (record, hand-off, result, event;"
                + " no stealing, not the broker)%n", Timing.median(local));
        System.out.printf(Locale.ROOT, "  process pool's pipe, per later job:              %.2f ms  (%s)%n",
                Timing.overheadPerJob(pool).toNanos() / 1e6, HelpersBenchmark.load());
    }

    /** The smallest prime check, as a plain {@code Callable} for Hazelcast's executor (members load it from the helpers jar). */
    record SmallCheck() implements Callable<Boolean>, Serializable {
        @Override
        public Boolean call() {
            return Primes.isPrime(2);
        }
    }

    /**
     * Each cluster batch beside a sequential run made just before it, so that a busy spell of the shared machine
     * weighs on both: the speedup is the median of the ratios.
     */
    private static void speedups(int repeats) {
        System.out.printf(Locale.ROOT, "%nthe 20 NUMBERS through member JVMs (medians of %d; batch time, members started before; %s):%n",
                repeats, HelpersBenchmark.load());
        for (int members = 1; members <= 3; members++) {
            List<Double> s = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                double sequential = Pools.sequential().run().seconds();
                double batch = Pools.cluster(members).run().seconds();
                s.add(batch);
                ratios.add(sequential / batch);
            }
            System.out.printf(Locale.ROOT, "  %d member%s %.3f s, speedup %.2f%n", members, members == 1 ? " " : "s",
                    Timing.median(s), Timing.median(ratios));
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
