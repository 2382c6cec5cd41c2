package dev.jcn.helpers.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.AotCache;
import dev.jcn.helpers.process.ChildMain;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the member JVMs' AOT cache ({@link AotCache#forTraining}): what a member JVM does, once,
 * briefly — start a member alone on loopback, take one job from the queue, claim it, run it, store its result,
 * run one job sent to it directly ({@link Direct}), and leave. A member JVM started with the cache finds those classes loaded and linked: here it cut a member's
 * start from about 2.8 to about 0.9 CPU seconds.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=members.aot <member options> -cp helpers.jar:hazelcast.jar dev.jcn.helpers.cluster.MemberTraining
 * }</pre>
 */
public final class MemberTraining {

    private MemberTraining() {
    }

    /** Trains, then exits 0; exits 1 if a job's result did not come within 30 s. */
    public static void main(String[] args) throws Exception {
        ChildMain.watchParent();
        try (MemberNode node = MemberNode.start(ClusterSettings.member(ClusterSettings.uniqueName(),
                ClusterSettings.LOOPBACK, 0, List.of()), 1, line -> { })) {
            HazelcastInstance hz = node.instance();
            IMap<String, Job> jobs = hz.getMap(Broker.JOBS);
            CountDownLatch stored = new CountDownLatch(1);
            jobs.addEntryListener((EntryUpdatedListener<String, Job>) e -> stored.countDown(), new Job.Done(), true);
            PrimeCheck task = new PrimeCheck(Primes.NUMBERS.get(5));
            Job job = Job.waiting("training/000", PrimeCheck.class.getName(), TaskCodec.encode(task));
            jobs.set(job.key(), job);
            hz.<Job>getQueue(Broker.QUEUE).offer(job);
            if (!stored.await(30, TimeUnit.SECONDS)) {
                System.err.println("member training: the job's result did not come within 30 s");
                System.exit(1);
            }
            Job direct = Job.waiting("training/001", PrimeCheck.class.getName(), TaskCodec.encode(task));
            try {
                hz.getExecutorService(Broker.DIRECT).submitToKeyOwner(new Direct(direct), direct.key())
                        .get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("member training: the direct job's answer did not come within 30 s");
                System.exit(1);
            }
        }
    }
}
