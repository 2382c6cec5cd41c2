package dev.jcn.helpers.cluster;

import java.io.Serializable;

/**
 * What the result backend (the job's entry in the jobs map) stores for a job, once: the value or the failure,
 * and which attempt on which member produced it.
 *
 * @param key        the job's key
 * @param attempt    the attempt that produced it
 * @param address    the member that ran it
 * @param startNanos when the member took the job (nanoseconds since the epoch)
 * @param endNanos   when it finished
 * @param value      the task's result, null when it failed
 * @param failure    a one-line reason when it failed, else null
 */
public record JobResult(String key, int attempt, String address, long startNanos, long endNanos,
                        Serializable value, String failure) implements Serializable {

    /** The same result, as attempt {@code number}. */
    JobResult asAttempt(int number) {
        return new JobResult(key, number, address, startNanos, endNanos, value, failure);
    }

    /** Whether the task ran and returned a value. */
    public boolean succeeded() {
        return failure == null;
    }
}
