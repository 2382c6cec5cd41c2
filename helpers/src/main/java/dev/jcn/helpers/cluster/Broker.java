package dev.jcn.helpers.cluster;

/**
 * The names of the distributed structures that make the task queue, shared by members and clients.
 *
 * <ul>
 *   <li>{@value #QUEUE}: an {@code IQueue} of job keys, the broker's queue. Hazelcast's queue has no
 *       acknowledgement: a key taken is gone, so the key is only a token and the job itself lives in
 *       {@value #JOBS}.</li>
 *   <li>{@value #JOBS}: an {@code IMap} from key to {@link Job}: the task and who holds it. Taking a job is an
 *       atomic change of that entry ({@link Job.Claim}); the entry has a backup on another member. A single
 *       job's entry is written while its key is queued, so a member may look for it a moment early.</li>
 *   <li>{@value #RESULTS}: the result backend, an {@code IMap} from key to {@link JobResult}, written with
 *       {@code putIfAbsent}, so a job's result is stored exactly once however often it ran.</li>
 *   <li>{@value #DUPLICATES}: results of later runs of a job that already had one, kept to show them.</li>
 * </ul>
 */
final class Broker {

    static final String QUEUE = "jcn.queue";
    static final String JOBS = "jcn.jobs";
    static final String RESULTS = "jcn.results";
    static final String DUPLICATES = "jcn.duplicates";

    private Broker() {
    }

    /** Nanoseconds since the epoch, comparable between JVMs on one machine. */
    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
