package dev.jcn.helpers.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.partition.PartitionService;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One cluster member with its workers: a Hazelcast member, {@code workers} threads that take jobs from the
 * queue and run them (a Celery worker with that concurrency), the jobs {@link Cluster#delay} sends straight to
 * this member while one of its workers is free ({@link #direct}), and a redelivery thread that puts back the
 * jobs of members that left. Used inside a notebook's JVM ({@link Cluster#embedded}) and in member JVMs
 * ({@link MemberMain}).
 *
 * <pre>{@code
 * try (MemberNode node = MemberNode.start(ClusterSettings.member(name, "127.0.0.1", 0, List.of()), 1, line -> { })) {
 *     node.address();       // "127.0.0.1:41234"
 * }
 * }</pre>
 *
 * <p>A worker takes a job from the queue and runs the task; if the task is still running 10 ms later it claims
 * the job ({@link Job.Claim}); it stores the result in the job's entry ({@link Job.Finish}): the job's result if
 * it has none, else a duplicate, so each job's result is stored exactly once however often it ran. The oldest
 * member redelivers: when a member leaves, every job it held goes back to waiting and back on the queue
 * (at-least-once); every second it also re-queues a waiting job that has been missing from the queue for two
 * looks in a row (a worker that died between taking the job and its claim arriving, or before a short task's
 * result was stored; a queued job that died with the queue's owner before the queue's asynchronous backup had
 * it).
 *
 * <p>The member has one slot per worker, and a task runs only in a slot: a job sent directly runs at once if
 * a slot is free (on the executor thread that received it), and is queued otherwise. A worker waits on the queue
 * only while a slot is free; if a direct job takes the last free slot while it waits, the job it then takes goes
 * back on the queue for a free worker of any member. So the member never runs more tasks at once than it has
 * workers, and a job waiting for a worker waits in the queue, where every member's free workers can take it.
 */
public final class MemberNode implements AutoCloseable {

    private static final long REDELIVERY_PERIOD_MILLIS = 1000;
    /** How long a starting member waits for the cluster's backups to be in step (see {@link #awaitBackups}). */
    private static final long BACKUPS_WAIT_MILLIS = 30_000;
    private static final long LAST_TO_LEAVE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Where a member's Hazelcast instance keeps its node, for the jobs sent to it directly ({@link Direct}). */
    static final String CONTEXT_KEY = "jcn.member-node";
    /** The writes of direct jobs' entries under way in this JVM, by member and key ({@link #told}). */
    private static final Map<String, CompletableFuture<Object>> TOLD = new ConcurrentHashMap<>();

    private final HazelcastInstance instance;
    private final String address;
    private final String uuid;
    private final List<Thread> workers = new ArrayList<>();
    private final Thread redelivery;
    private final ClaimWatch claims;
    /**
     * The member's worker slots, one per worker: a task runs only in a slot, whether a worker took its job from
     * the queue or it came directly ({@link #direct}), so the member never runs more tasks at once than it has
     * workers.
     */
    private final Semaphore slots;
    private final int workerCount;
    private final Object wake = new Object();
    private final Object membersChanged = new Object();
    private final Set<String> saidGoodbye = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private boolean wakeUp;

    private MemberNode(HazelcastInstance instance, int workerCount, Consumer<String> events) {
        this.instance = instance;
        this.workerCount = workerCount;
        this.slots = new Semaphore(workerCount);
        Member me = instance.getCluster().getLocalMember();
        this.address = Cluster.address(me);
        this.uuid = me.getUuid().toString();
        instance.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                events.accept(Cluster.describe(e));
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                // Hazelcast notices a member gone by its closed connections, whether it shut down or was killed:
                // a member that closes says so first (close()), so the line can tell the two apart.
                String line = Cluster.describe(e);
                String gone = e.getMember().getUuid().toString();
                if (saidGoodbye.contains(gone)) {
                    events.accept(line + ", cleanly");
                } else {
                    instance.<String, String>getMap(Broker.LEAVING).getAsync(gone)
                            .whenComplete((said, failed) -> events.accept(failed != null ? line
                                    : line + (said != null ? ", cleanly" : ", without a goodbye")));
                }
                redeliverSoon();
                synchronized (membersChanged) {
                    membersChanged.notifyAll();
                }
            }
        });
        // Each member hears every goodbye as it is written, so that it knows who is leaving without asking (a
        // member that left may have taken the note with it). Made now, the goodbye's map is also ready at close:
        // its first write, made then under load, took up to a second.
        instance.<String, String>getMap(Broker.LEAVING).addEntryListener(
                (EntryAddedListener<String, String>) added -> saidGoodbye.add(added.getKey()), false);
        // Made now, on the starting thread, so that an embedded member's threads are the cluster service's.
        claims = new ClaimWatch(instance.getMap(Broker.JOBS), uuid, address, workerCount);
        for (int i = 0; i < workerCount; i++) {
            int worker = i;
            workers.add(Thread.ofPlatform().name("jcn-worker-" + address + "-" + (i + 1)).daemon(true)
                    .start(() -> work(worker)));
        }
        redelivery = Thread.ofPlatform().name("jcn-redelivery-" + address).daemon(true).start(this::redeliver);
        instance.getUserContext().put(CONTEXT_KEY, this);
    }

    /**
     * Starts a member with {@code config} and {@code workers} worker threads; {@code events} gets one line per
     * member that joins or leaves.
     */
    public static MemberNode start(Config config, int workers, Consumer<String> events) {
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be 0 or more, got " + workers);
        }
        config.setClassLoader(MemberNode.class.getClassLoader());
        // The jobs sent directly: one thread for each that runs in a worker slot, and two more, so that a job
        // queued because every slot is taken is never kept waiting behind those that run.
        config.getExecutorConfig(Broker.DIRECT).setPoolSize(workers + 2).setStatisticsEnabled(false);
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        awaitBackups(instance);
        return new MemberNode(instance, workers, events);
    }

    /**
     * Waits, at most {@link #BACKUPS_WAIT_MILLIS}, until Hazelcast says the cluster is safe: no partition is
     * moving and every backup is in step with its owner. A member that joins makes partitions move to it, and
     * until their backups are copied a member killed takes the queued jobs and entries it owns with it (seen
     * here: queued jobs lost when the queue's owner was killed seconds after the second member joined). Nothing
     * announces the safe state, so it is asked for every 20 ms; past the wait the member goes on unsafe.
     */
    private static void awaitBackups(HazelcastInstance instance) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKUPS_WAIT_MILLIS);
        PartitionService partitions = instance.getPartitionService();
        // a joining member owns no partition until the partitions are dealt out again, and the cluster can
        // look safe before that starts
        while (!(partitions.getPartitions().stream().anyMatch(p -> p.getOwner() != null && p.getOwner().localMember())
                && partitions.isClusterSafe()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** The Hazelcast member. */
    public HazelcastInstance instance() {
        return instance;
    }

    /** "host:port". */
    public String address() {
        return address;
    }

    /** The member's UUID. */
    public String uuid() {
        return uuid;
    }

    /** Whether the member is still running. */
    public boolean isRunning() {
        return instance.getLifecycleService().isRunning();
    }

    /**
     * Leaves the cluster cleanly: the member notes in {@value Broker#LEAVING} that it is leaving (so that the
     * others report it as a clean leave), its workers finish the job they hold (no new ones), then it hands its
     * data to the others and shuts down. The oldest member, which hands out the partitions of members that
     * leave, goes after those leaving with it (a whole cluster closed at once), waiting 1.5 s at most.
     */
    @Override
    public void close() {
        stopping = true;
        // The goodbye first, while no member is handing its partitions over yet: Hazelcast sends a write to a
        // partition that is moving again after a growing pause, up to half a second.
        try {
            instance.<String, String>getMap(Broker.LEAVING).set(uuid, address, 1, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            // The cluster is out of reach already: the member leaves without saying so.
        }
        redeliverSoon();
        for (Thread t : workers) {
            joinQuietly(t);
        }
        // Direct jobs that took a slot before the member began to close finish too.
        slots.acquireUninterruptibly(workerCount);
        joinQuietly(redelivery);
        claims.stop();
        if (oldest()) {
            awaitOthersLeaving(System.nanoTime() + LAST_TO_LEAVE_WAIT_NANOS);
        }
        instance.shutdown();
    }

    private Set<String> others() {
        Set<String> others = new HashSet<>();
        instance.getCluster().getMembers().forEach(m -> others.add(m.getUuid().toString()));
        others.remove(uuid);
        return others;
    }

    /**
     * Waits until no other member that said it is leaving owns a partition any more, or until {@code deadline}.
     * Members that shut down together each ask the oldest to take their partitions; the oldest shutting down at
     * the same time hands its own partitions to them meanwhile, and a request that finds it busy is sent again
     * only a second later: measured here, one member of two then took about 1 s to leave instead of 0.2 s.
     */
    private void awaitOthersLeaving(long deadline) {
        try {
            while (System.nanoTime() < deadline) {
                Set<String> going = others();
                going.retainAll(saidGoodbye);
                Set<String> owners = new HashSet<>();
                instance.getPartitionService().getPartitions().forEach(p -> {
                    if (p.getOwner() != null) {
                        owners.add(p.getOwner().getUuid().toString());
                    }
                });
                if (going.stream().noneMatch(owners::contains)) {
                    return;
                }
                synchronized (membersChanged) {
                    // Woken by a member leaving; partitions are looked at again every 20 ms.
                    membersChanged.wait(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The cluster is out of reach: nothing to wait for.
        }
    }

    /** Ends the member at once, without finishing jobs or handing over data, as a crash would. */
    public void terminate() {
        stopping = true;
        instance.getLifecycleService().terminate();
        redeliverSoon();
        for (Thread t : workers) {
            joinQuietly(t);
        }
        joinQuietly(redelivery);
        claims.stop();
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(int worker) {
        IQueue<Job> queue = instance.getQueue(Broker.QUEUE);
        IMap<String, Job> jobs = instance.getMap(Broker.JOBS);
        while (!stopping) {
            try {
                // While every slot runs a job sent directly, this worker leaves the queue to the others.
                if (!awaitFreeSlot()) {
                    return;
                }
                Job job = queue.poll(100, TimeUnit.MILLISECONDS);
                if (job == null) {
                    continue;
                }
                long start = Broker.epochNanos();
                if (!slots.tryAcquire()) {
                    // A job sent directly took the last free slot while this worker waited on the queue: the job
                    // goes back on the queue, for a free worker of any member. (A member that dies before the
                    // offer arrives leaves the job waiting and on no queue, which the sweep puts back.)
                    queue.offer(job);
                    continue;
                }
                try {
                    runInSlot(worker, jobs, queue, job, start);
                } finally {
                    slots.release();
                }
            } catch (HazelcastInstanceNotActiveException | InterruptedException ended) {
                return;
            } catch (CompletionException e) {
                note("a worker's claim failed, it goes on: " + e.getCause());
            } catch (RuntimeException e) {
                // A call that failed while members came or went (a timeout, a partition moving): the worker
                // goes on, and a job it could not finish is released below or redelivered.
                if (!isRunning()) {
                    return;
                }
                note("a worker's call failed, it goes on: " + e);
            }
        }
    }

    /** Waits until a worker slot is free, without taking it; false if the member stops meanwhile. */
    private boolean awaitFreeSlot() throws InterruptedException {
        while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (stopping) {
                return false;
            }
        }
        slots.release();
        return true;
    }

    /** Runs a job taken from the queue in the slot the worker holds, claiming it if it still runs after 10 ms. */
    private void runInSlot(int worker, IMap<String, Job> jobs, IQueue<Job> queue, Job job, long start)
            throws InterruptedException {
        // The claim (which marks the job as held by this member, so that it is redelivered at once if the member
        // dies) is sent only if the task still runs 10 ms after it was taken: a short task's result records its
        // attempt itself, and a claim with its backup and acknowledgement was about a fifth of a queued task's
        // messages and CPU. A member that dies before its claim leaves a waiting job that is on no queue, which
        // the redelivery finds (a second or two later instead of at once).
        ClaimWatch.Running running = claims.started(worker, job, start);
        JobResult result = run(job, start);
        CompletableFuture<Boolean> claim = claims.ended(worker, running);
        finish(jobs, queue, job, result, false);
        if (claim != null) {
            claim.join();
        }
    }

    /**
     * A job {@link Cluster#delay} sent to this member, the owner of its key's partition ({@link Direct}). If a
     * worker slot is free, the job's entry is written here already held by this member ({@link Job.Take}, with
     * its backup on another member, so that if this member dies while the task runs the sweep sees a dead holder
     * and queues the job again), the task runs in that slot on the calling thread, its result is stored once
     * ({@link Job.Finish}) and returned: the client has it as the answer to its call. If no slot is free, or the
     * member is closing, the job is queued as a batch's jobs are ({@link #enqueue}) and the answer is null.
     *
     * <p>The task starts once the owner has written the entry ({@link #told}), and the answer leaves once the
     * result's store is sent; neither waits for a backup's acknowledgement, as the queue's entry event does not.
     * A member killed before the entry's backup arrived leaves no entry, and the client, whose call fails or is
     * sent again to the new owner, has the job written and queued, or run, again; one killed before the result's
     * backup arrived leaves the entry held by a dead member, and the job runs again: its new result is the one
     * stored (as for a queued job whose event had left).
     */
    JobResult direct(Job job) throws InterruptedException {
        if (stopping || !slots.tryAcquire()) {
            return enqueue(instance, job);
        }
        try {
            IMap<String, Job> jobs = instance.getMap(Broker.JOBS);
            long start = Broker.epochNanos();
            Object taken;
            try {
                taken = told(jobs, job.key(), new Job.Take(job, uuid, address, start, true));
            } catch (java.util.concurrent.ExecutionException e) {
                return enqueue(instance, job);   // the write failed (members coming or going): the queue has it
            }
            if (taken != Job.Claimed.CLAIMED) {
                // The call came again after the member that had it left: the job is the sweep's, or done.
                Job there = jobs.get(job.key());
                return there == null ? null : there.result();
            }
            JobResult result = run(job, start);
            // The result's store is sent, and the answer leaves without waiting for it: the store is ahead of
            // anything the client sends to the entry after the answer, on the partition this member owns, and this
            // member holds the entry, so the store is the job's first result (attempt 1) unless the client forgot
            // the job meanwhile. A store that fails is made again as a queued job's is.
            jobs.submitToKey(job.key(), new Job.Finish(uuid, result, true)).whenCompleteAsync((outcome, failed) -> {
                if (failed != null && isRunning()) {
                    Thread.ofPlatform().name("jcn-store-" + address).daemon(true).start(() -> {
                        try {
                            finish(jobs, instance.getQueue(Broker.QUEUE), job, result, true);
                        } catch (InterruptedException | RuntimeException gone) {
                            // The member is going away: its entry's holder is gone, and the sweep has the job.
                        }
                    });
                }
            }, Runnable::run);
            return result.asAttempt(1);
        } finally {
            slots.release();
        }
    }

    /**
     * Applies {@code processor} (a {@link Job.Take} that tells) to entry {@code key} and returns what it did as
     * soon as the partition's owner has done it, without waiting for its backup's acknowledgement (or, if the
     * owner is another member, when the whole call returns): the task starts once its entry is written on the
     * owner, and the entry's backup follows, ahead of the result's.
     *
     * @throws java.util.concurrent.ExecutionException if the call failed
     */
    private Object told(IMap<String, Job> jobs, String key, com.hazelcast.map.EntryProcessor<String, Job, ?> processor)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        String id = uuid + " " + key;
        CompletableFuture<Object> done = new CompletableFuture<>();
        TOLD.put(id, done);
        try {
            // Completed by the thread that has the answer: a callback given no executor runs on a pool of its own.
            jobs.submitToKey(key, processor).whenCompleteAsync((outcome, failed) -> {
                if (failed != null) {
                    done.completeExceptionally(failed);
                } else {
                    done.complete(outcome);
                }
            }, Runnable::run);
            try {
                return done.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof HazelcastInstanceNotActiveException gone) {
                    throw gone;
                }
                throw e;
            }
        } finally {
            TOLD.remove(id);
        }
    }

    /** What the owner of a direct job's partition did with its entry, told as it did it ({@link Job.Take}). */
    static void told(String member, String key, Object outcome) {
        CompletableFuture<Object> done = TOLD.get(member + " " + key);
        if (done != null) {
            done.complete(outcome);
        }
    }

    /**
     * Queues a job sent directly to {@code member} that it does not run at once: its entry is written waiting
     * (unless it is there already: a call sent again after the member that had it left, which the sweep
     * handles) and it is offered to the queue, where the first free worker of any member takes it. Returns null,
     * the client's "queued".
     */
    static JobResult enqueue(HazelcastInstance member, Job job) {
        if (member.<String, Job>getMap(Broker.JOBS).putIfAbsent(job.key(), job) == null) {
            member.<Job>getQueue(Broker.QUEUE).offer(job.ticket());
        }
        return null;
    }

    /**
     * Stores a result once ({@link Job.Finish}: the job's result if it has none, else a duplicate) and returns
     * what the store did. A missing job is looked for again for up to 50 ms, then dropped (a job withdrawn by
     * its client). If storing fails three times, the job is released, so that another member runs it again, and
     * null is returned.
     */
    private Job.Outcome finish(IMap<String, Job> jobs, IQueue<Job> queue, Job job, JobResult result,
                               boolean direct) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int tries = 1; ; tries++) {
            try {
                Job.Outcome outcome = jobs.executeOnKey(job.key(), new Job.Finish(uuid, result, direct));
                if (outcome != Job.Outcome.MISSING || System.nanoTime() > deadline) {
                    return outcome;
                }
                Thread.sleep(1);
            } catch (HazelcastInstanceNotActiveException e) {
                throw e;
            } catch (RuntimeException e) {
                if (tries >= 3) {
                    note("could not store the result of " + job.key() + ", releasing it: " + e);
                    if (jobs.executeOnKey(job.key(), new Job.Release(uuid))) {
                        queue.offer(job.ticket());
                    }
                    return null;
                }
                Thread.sleep(100L * tries);
            }
        }
    }

    /** A warning through Hazelcast's logging, which {@link QuietLogging} keeps (and a member script echoes). */
    private void note(String message) {
        instance.getLoggingService().getLogger(MemberNode.class).warning(message);
    }

    /** Runs the task; the result's attempt number is set when it is stored. */
    private JobResult run(Job job, long start) {
        Serializable value = null;
        String failure = null;
        try {
            value = TaskCodec.decode(job.task(), job.payload(), address).call();
        } catch (TaskCodec.Unloadable e) {
            failure = e.getMessage();
        } catch (Exception e) {
            failure = "task " + job.task() + " failed on member " + address + ": " + e;
        }
        return new JobResult(job.key(), 0, address, start, Broker.epochNanos(), value, failure);
    }

    private void redeliverSoon() {
        synchronized (wake) {
            wakeUp = true;
            wake.notifyAll();
        }
    }

    private void redeliver() {
        Set<String> unqueuedBefore = new HashSet<>();
        try {
            while (!stopping) {
                synchronized (wake) {
                    if (!wakeUp) {
                        wake.wait(REDELIVERY_PERIOD_MILLIS);
                    }
                    wakeUp = false;
                }
                try {
                    if (!stopping && oldest()) {
                        unqueuedBefore = sweep(unqueuedBefore);
                    }
                } catch (HazelcastInstanceNotActiveException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Members coming or going can fail a look; the next one, a second later, tries again.
                    if (!isRunning()) {
                        return;
                    }
                    note("redelivery failed, it tries again: " + e);
                }
            }
        } catch (HazelcastInstanceNotActiveException | InterruptedException ended) {
            // The member is going away.
        }
    }

    private boolean oldest() {
        var members = instance.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    /** One look at every unfinished job; returns the waiting jobs whose key was not on the queue. */
    private Set<String> sweep(Set<String> unqueuedBefore) {
        IQueue<Job> queue = instance.getQueue(Broker.QUEUE);
        IMap<String, Job> jobs = instance.getMap(Broker.JOBS);
        Set<String> live = new HashSet<>();
        instance.getCluster().getMembers().forEach(m -> live.add(m.getUuid().toString()));
        Set<String> queued = new HashSet<>();
        queue.forEach(j -> queued.add(j.key()));
        Set<String> unqueued = new HashSet<>();
        // Only unfinished jobs come back: results kept for clients that have not forgotten them stay put.
        for (Map.Entry<String, Job> e : jobs.entrySet(new Job.Unfinished())) {
            String key = e.getKey();
            Job job = e.getValue();
            if (job.holder() != null) {
                if (!live.contains(job.holder()) && jobs.executeOnKey(key, new Job.Release(job.holder()))) {
                    queue.offer(job.ticket());
                }
            } else if (!queued.contains(key)) {
                if (unqueuedBefore.contains(key)) {
                    queue.offer(job.ticket());
                } else {
                    unqueued.add(key);
                }
            }
        }
        return unqueued;
    }

    @Override
    public String toString() {
        return "MemberNode[" + address + (isRunning() ? "" : ", stopped") + "]";
    }
}
