package dev.jcn.helpers.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.util.concurrent.Callable;

/**
 * What {@link Cluster#delay} sends to the member that owns the job's key, through the members' executor
 * {@value Broker#DIRECT}: that member runs the job at once in one of its worker slots if one is free, and the
 * answer is the job's result, stored in its entry once (attempt 1); otherwise it queues the job as a batch's jobs are queued, and the answer is
 * null ("queued": the client hears of the result through the job's entry, as for every queued job). See
 * {@link MemberNode#direct}.
 */
final class Direct implements Callable<JobResult>, HazelcastInstanceAware {

    private final Job job;
    private transient HazelcastInstance member;

    Direct(Job job) {
        this.job = job;
    }

    Job job() {
        return job;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public JobResult call() throws InterruptedException {
        MemberNode node = (MemberNode) member.getUserContext().get(MemberNode.CONTEXT_KEY);
        // A member still starting has no node yet: the job waits in the queue for the first free worker.
        return node != null ? node.direct(job) : MemberNode.enqueue(member, job);
    }
}
