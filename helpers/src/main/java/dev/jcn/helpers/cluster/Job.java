package dev.jcn.helpers.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.query.Predicate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job as the jobs map holds it: the serialised task, the member holding it now (none while it waits in the
 * queue), every attempt so far, its one stored result and the results of later attempts. A job changes only
 * through the entry processors below, which run on the entry's partition one at a time, so two members can never
 * both hold it and its result is stored once.
 *
 * @param key        the job's key ("run/index")
 * @param task       the task's class name
 * @param payload    the task, serialised
 * @param holder     the UUID of the member running it, or null while it waits or once it is done
 * @param attempts   every time a member took it
 * @param result     the result stored for it (the first attempt to finish), or null
 * @param duplicates results of attempts that finished after it had one
 * @param answered   whether its result went back to the client as the answer to its direct call
 *                   ({@link Direct}), so that the client's listener need not hear of it
 */
record Job(String key, String task, byte[] payload, String holder, List<Attempt> attempts, JobResult result,
           List<JobResult> duplicates, boolean answered) implements Serializable {

    Job {
        attempts = List.copyOf(attempts);
        duplicates = List.copyOf(duplicates);
    }

    /** A job nobody has taken yet: what the client writes and queues. */
    static Job waiting(String key, String task, byte[] payload) {
        return new Job(key, task, payload, null, List.of(), null, List.of(), false);
    }

    /** What the queue carries for this job: it as it was first queued, without its history. */
    Job ticket() {
        return waiting(key, task, payload);
    }

    private Job with(String newHolder, List<Attempt> newAttempts, JobResult newResult, List<JobResult> newDuplicates) {
        return new Job(key, task, payload, newHolder, newAttempts, newResult, newDuplicates, answered);
    }

    /** What a {@link Claim} found. */
    enum Claimed {
        /** The member holds the job now, and the attempt is recorded. */
        CLAIMED,
        /** Someone else holds it, or it is done. */
        REFUSED,
        /** It is not there: not written yet (a client writes a job and queues it at once), or withdrawn. */
        MISSING
    }

    /** Takes a waiting job for a member. */
    record Claim(String member, String address, long startNanos) implements EntryProcessor<String, Job, Claimed> {
        @Override
        public Claimed process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null) {
                return Claimed.MISSING;
            }
            if (job.holder() != null || job.result() != null) {
                return Claimed.REFUSED;
            }
            List<Attempt> attempts = new ArrayList<>(job.attempts());
            attempts.add(new Attempt(attempts.size() + 1, member, address, startNanos));
            entry.setValue(job.with(member, attempts, null, job.duplicates()));
            return Claimed.CLAIMED;
        }
    }

    /**
     * Writes a job that a member runs straight away (the direct path of {@link Cluster#delay}): the job's entry
     * is created already held by {@code member}, with its first attempt, so that the member's death while the
     * task runs is seen by the sweep as a dead holder (the entry's backup is sent before any later change of
     * the partition's, the result's store included). An entry that is already there is left as it is
     * ({@link Claimed#REFUSED}): the client's call was sent again after the member that had it left, and the job
     * is the sweep's. With {@code tell}, the partition's owner tells {@link MemberNode#direct} what it did as
     * soon as it has done it ({@link MemberNode#told}); its backup's copy tells nobody.
     */
    record Take(Job job, String member, String address, long startNanos, boolean tell)
            implements EntryProcessor<String, Job, Claimed> {
        @Override
        public Claimed process(Map.Entry<String, Job> entry) {
            Claimed claimed = Claimed.REFUSED;
            if (entry.getValue() == null) {
                entry.setValue(job.with(member, List.of(new Attempt(1, member, address, startNanos)), null,
                        List.of()));
                claimed = Claimed.CLAIMED;
            }
            if (tell) {
                MemberNode.told(member, job.key(), claimed);
            }
            return claimed;
        }

        @Override
        public EntryProcessor<String, Job, Claimed> getBackupProcessor() {
            return tell ? new Take(job, member, address, startNanos, false) : this;
        }
    }

    /** What {@link Finish} did with a result. */
    enum Outcome {
        STORED,
        /** Stored, as the first attempt of the member's direct take: the result is the answer to the client's call. */
        ANSWERED,
        DUPLICATE,
        MISSING
    }

    /**
     * Stores the result of the attempt that {@code member} began at {@code result.startNanos()}: as the
     * job's result if it has none (the job is then done and held by nobody), else as a duplicate. The attempt is
     * the one its {@link Claim} recorded; a run whose claim was refused or has not arrived is recorded as an
     * attempt here. Nothing is stored for a job that is not there. With {@code direct}, the result of the
     * attempt that {@code member}'s {@link Take} made is stored as {@link Outcome#ANSWERED}: it goes back to the
     * client as its call's answer, and the client's listener does not hear of it ({@link Done}).
     */
    record Finish(String member, JobResult result, boolean direct) implements EntryProcessor<String, Job, Outcome> {

        Finish(String member, JobResult result) {
            this(member, result, false);
        }

        @Override
        public Outcome process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null) {
                return Outcome.MISSING;
            }
            List<Attempt> attempts = new ArrayList<>(job.attempts());
            Attempt attempt = attempts.stream().filter(a -> a.member().equals(member)
                    && a.startNanos() == result.startNanos()).findFirst().orElse(null);
            if (attempt == null) {
                attempt = new Attempt(attempts.size() + 1, member, result.address(), result.startNanos());
                attempts.add(attempt);
            }
            JobResult numbered = result.asAttempt(attempt.number());
            if (job.result() != null) {
                List<JobResult> duplicates = new ArrayList<>(job.duplicates());
                duplicates.add(numbered);
                entry.setValue(job.with(job.holder(), attempts, job.result(), duplicates));
                return Outcome.DUPLICATE;
            }
            boolean answered = direct && attempt.number() == 1 && member.equals(job.holder());
            entry.setValue(new Job(job.key(), job.task(), job.payload(), null, attempts, numbered, job.duplicates(),
                    answered));
            return answered ? Outcome.ANSWERED : Outcome.STORED;
        }
    }

    /** Puts a job held by {@code member} back to waiting; true if it did. */
    record Release(String member) implements EntryProcessor<String, Job, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null || job.result() != null || !member.equals(job.holder())) {
                return false;
            }
            entry.setValue(job.with(null, job.attempts(), null, job.duplicates()));
            return true;
        }
    }

    /** Matches jobs without a result: what the redelivery sweep looks at, chosen where the entries live. */
    record Unfinished() implements Predicate<String, Job> {
        @Override
        public boolean apply(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            return job != null && job.result() == null;
        }
    }

    /**
     * Matches jobs that have a result the client has not had as an answer: the client listens to those changes
     * only, not to every claim, nor to the results its direct calls brought back.
     */
    record Done() implements Predicate<String, Job> {
        @Override
        public boolean apply(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            return job != null && job.result() != null && !job.answered();
        }
    }
}
