package dev.jcn.helpers.pool;

import java.time.Duration;

/**
 * When one job ran on one worker, measured from the start of the run: a bar of a Gantt chart.
 *
 * <pre>{@code
 * for (JobSpan s : run.timeline()) System.out.printf("worker %d: %d from %.3f to %.3f s%n",
 *         s.worker(), s.n(), s.startSeconds(), s.endSeconds());
 * }</pre>
 *
 * @param worker    the worker, numbered from 0
 * @param n         the number checked
 * @param start     when the worker took the job, after the run started
 * @param end       when its result (or its failure) was known
 * @param completed false if the worker died during this job
 */
public record JobSpan(int worker, long n, Duration start, Duration end, boolean completed) {

    /** The start in seconds. */
    public double startSeconds() {
        return start.toNanos() / 1e9;
    }

    /** The end in seconds. */
    public double endSeconds() {
        return end.toNanos() / 1e9;
    }

    /** The length in seconds. */
    public double seconds() {
        return endSeconds() - startSeconds();
    }
}
