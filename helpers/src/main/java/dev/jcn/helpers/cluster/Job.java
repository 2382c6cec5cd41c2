package dev.jcn.helpers.cluster;

import com.hazelcast.map.EntryProcessor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job as the jobs map holds it: the serialised task, the member holding it now (none while it waits in the
 * queue) and every attempt so far. A job changes hands only through the two entry processors below, which run
 * on the entry's partition one at a time, so two members can never both hold it.
 *
 * @param key      the job's key ("run/index")
 * @param task     the task's class name
 * @param payload  the task, serialised
 * @param holder   the UUID of the member running it, or null while it waits
 * @param attempts every time a member took it
 */
record Job(String key, String task, byte[] payload, String holder, List<Attempt> attempts) implements Serializable {

    Job {
        attempts = List.copyOf(attempts);
    }

    /**
     * Takes a waiting job for a member: the job (with the new attempt) if it was waiting, else null (someone
     * holds it, or it is gone).
     */
    record Claim(String member, String address, long startNanos) implements EntryProcessor<String, Job, Job> {
        @Override
        public Job process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null || job.holder() != null) {
                return null;
            }
            List<Attempt> attempts = new ArrayList<>(job.attempts());
            attempts.add(new Attempt(attempts.size() + 1, member, address, startNanos));
            Job taken = new Job(job.key(), job.task(), job.payload(), member, attempts);
            entry.setValue(taken);
            return taken;
        }
    }

    /** Puts a job held by {@code member} back to waiting; true if it did. */
    record Release(String member) implements EntryProcessor<String, Job, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null || !member.equals(job.holder())) {
                return false;
            }
            entry.setValue(new Job(job.key(), job.task(), job.payload(), null, job.attempts()));
            return true;
        }
    }
}
