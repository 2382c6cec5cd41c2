package dev.jcn.helpers.bench;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicate;
import dev.jcn.helpers.cluster.PrimeCheck;
import dev.jcn.helpers.primes.PrimeResult;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A probe of a dispatch the queue does not use, measured beside it by {@link ClusterBenchmark}: the client sends
 * one entry processor to the job's key, which writes the job's record on the partition's owner and hands the job
 * to a worker of that same member (a queue in the member's JVM; the partition thread never runs the task, and
 * the backup's copy only writes the record); the worker runs the task and stores its result in the same entry,
 * on its own member, and the entry's event reaches the client. Two crossings, as Hazelcast's executor makes.
 * Only the first half of such a broker: no idle member takes jobs waiting on another, a member added later takes
 * nothing, and nothing is redelivered.
 */
final class LocalDispatchProbe {

    private static final String MAP = "jcn.probe.jobs";

    private final IMap<String, Record> records;
    private final Map<String, CompletableFuture<PrimeResult>> waiting = new ConcurrentHashMap<>();
    private final UUID listener;

    /** A probe on the cluster that {@code client} is connected to. */
    LocalDispatchProbe(HazelcastInstance client) {
        records = client.getMap(MAP);
        listener = records.addEntryListener((EntryUpdatedListener<String, Record>) e -> {
            CompletableFuture<PrimeResult> f = waiting.remove(e.getKey());
            if (f != null) {
                f.complete(e.getValue().result());
            }
        }, new Stored(), true);
    }

    /** Sends {@code task} and waits for its result. */
    PrimeResult roundTrip(PrimeCheck task) throws Exception {
        String key = UUID.randomUUID().toString();
        CompletableFuture<PrimeResult> result = new CompletableFuture<>();
        waiting.put(key, result);
        records.submitToKey(key, new Dispatch(task));
        return result.get(30, TimeUnit.SECONDS);
    }

    /** Removes the listener and the records. */
    void close() {
        records.removeEntryListener(listener);
        records.destroy();
    }

    /** A job's record: its task, and its result once stored. */
    record Record(PrimeCheck task, PrimeResult result) implements Serializable {
    }

    /** Matches records with a result: the client hears of those changes only. */
    record Stored() implements Predicate<String, Record> {
        @Override
        public boolean apply(Map.Entry<String, Record> entry) {
            return entry.getValue() != null && entry.getValue().result() != null;
        }
    }

    /** Writes the record; on the partition's owner, also hands the job to that member's worker. */
    record Dispatch(PrimeCheck task) implements EntryProcessor<String, Record, Void>, HazelcastInstanceAware {
        @Override
        public Void process(Map.Entry<String, Record> entry) {
            entry.setValue(new Record(task, null));
            Worker.READY.add(new Handed(entry.getKey(), task));
            Worker.start();
            return null;
        }

        @Override
        public EntryProcessor<String, Record, Void> getBackupProcessor() {
            return new Write(new Record(task, null));
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance member) {
            Worker.member = member;
        }
    }

    /** Writes a record as it is: the backup's copy of {@link Dispatch}, and the result's store. */
    record Write(Record record) implements EntryProcessor<String, Record, Void> {
        @Override
        public Void process(Map.Entry<String, Record> entry) {
            entry.setValue(record);
            return null;
        }
    }

    /** A job handed to the member's worker. */
    private record Handed(String key, PrimeCheck task) {
    }

    /** The member's one worker of the probe, started by the first job handed to it. */
    private static final class Worker {
        static final LinkedBlockingQueue<Handed> READY = new LinkedBlockingQueue<>();
        static volatile HazelcastInstance member;
        private static Thread thread;

        static synchronized void start() {
            if (thread == null) {
                thread = Thread.ofPlatform().name("jcn-probe-worker").daemon(true).start(Worker::work);
            }
        }

        private static void work() {
            try {
                while (member == null || member.getLifecycleService().isRunning()) {
                    Handed job = READY.take();
                    // The member owns the key: the store is a call to its own partition thread.
                    member.<String, Record>getMap(MAP).submitToKey(job.key(),
                            new Write(new Record(job.task(), job.task().call())));
                }
            } catch (InterruptedException | RuntimeException ended) {
                // The member is going away.
            }
        }
    }
}
