package dev.jcn.helpers.cluster;

/**
 * The names of the distributed structures that make the task queue, shared by members and clients.
 *
 * <ul>
 *   <li>{@value #QUEUE}: an {@code IQueue} of waiting {@link Job}s, the broker's queue. Hazelcast's queue has no
 *       acknowledgement: a job taken is gone from it, so the queue only carries the task to a worker, and the job
 *       itself lives in {@value #JOBS}. Its backup is asynchronous: a member killed just after an offer or a
 *       poll can take with it a queued job its backup did not have yet (the sweep queues it again from
 *       {@value #JOBS}, a second or two later) or leave on the backup a job a worker had already taken (it runs
 *       twice; its result is still stored once).</li>
 *   <li>{@value #JOBS}: an {@code IMap} from key to {@link Job}: the task, who holds it, every attempt, and the
 *       result backend: the job's one result and any later ones. Taking a job ({@link Job.Claim}) and storing
 *       its result ({@link Job.Finish}) are atomic changes of that entry, which has a backup on another member.
 *       A job's entry is written before the job is queued; a direct job's ({@link Job.Take}) is sent just
 *       before its task runs, on the same partition as its result, which the partition applies after it.</li>
 *   <li>{@value #DIRECT}: the members' executor that {@link Cluster#delay} sends a job to, on the owner of
 *       the job's key: if one of that member's workers is free, the job skips the queue (its entry is written
 *       there already held by the member, and the result is the call's answer); if not, that member writes the
 *       entry waiting and offers the job to {@value #QUEUE}.</li>
 *   <li>{@value #LEAVING}: the UUIDs of members that are closing, each written as it begins to close (kept a
 *       minute, and heard by every member as it is written), so that the others can tell a member that left
 *       cleanly from one that was killed or cut off, and know who leaves with them.</li>
 * </ul>
 */
final class Broker {

    /**
     * The members' executor that {@link Cluster#delay} sends each job to, on the member that owns the job's key
     * ({@link Direct}): with a worker slot free there, the job runs at once, its entry written already held by
     * that member, and the result comes back as the call's answer; else that member queues it.
     */
    static final String DIRECT = "jcn.direct";
    static final String QUEUE = "jcn.queue";
    static final String JOBS = "jcn.jobs";
    static final String LEAVING = "jcn.leaving";

    private Broker() {
    }

    /** Nanoseconds since the epoch, comparable between JVMs on one machine. */
    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
