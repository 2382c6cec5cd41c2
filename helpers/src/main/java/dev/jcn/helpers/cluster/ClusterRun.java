package dev.jcn.helpers.cluster;

import dev.jcn.helpers.pool.JobSpan;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.primes.PrimeResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one batch of prime checks through a cluster produced: the results in the order they arrived, every
 * job's attempts (which member took it, how often), the member events during the run, and the wall time from
 * the first job sent to the last result.
 *
 * <pre>{@code
 * ClusterRun run = cluster.batch(Primes.NUMBERS).killingMemberOn(9_999_999_999_999_917L).run();
 * System.out.println(run.report());
 * run.ranTwice();           // the jobs a member took and did not finish, run again elsewhere
 * run.storedOnce();         // every job has exactly one stored result
 * Charts.gantt(run.toPoolRun());
 * }</pre>
 *
 * @param description the cluster, e.g. "3 member JVMs"
 * @param members     how many members it had when the run started
 * @param submitted   the numbers, in the order they were queued
 * @param results     the results, in the order they arrived
 * @param jobs        every job's history, in submission order
 * @param startNanos  when the first job was sent (nanoseconds since the epoch)
 * @param wall        first job sent to last result
 * @param events      member events during the run, one line each
 * @param storedKeys  how many of the run's keys had a stored result when it ended
 */
public record ClusterRun(String description, int members, List<Long> submitted, List<PrimeResult> results,
                         List<JobHistory> jobs, long startNanos, Duration wall, List<String> events,
                         int storedKeys) {

    /** Copies the lists. */
    public ClusterRun {
        submitted = List.copyOf(submitted);
        results = List.copyOf(results);
        jobs = List.copyOf(jobs);
        events = List.copyOf(events);
    }

    /**
     * One job: its number, every attempt, the one stored result and any later results that were discarded.
     *
     * @param n          the number checked
     * @param key        the job's key
     * @param attempts   every time a member took it, in order
     * @param stored     the result stored for it
     * @param duplicates results of later attempts that finished too and were not stored
     */
    public record JobHistory(long n, String key, List<Attempt> attempts, JobResult stored, List<JobResult> duplicates) {

        /** Copies the lists. */
        public JobHistory {
            attempts = List.copyOf(attempts);
            duplicates = List.copyOf(duplicates);
        }

        /** Whether more than one member took it. */
        public boolean ranTwice() {
            return attempts.size() > 1;
        }

        /** "#1 on 127.0.0.1:41234 (did not finish), #2 on 127.0.0.1:40001 (stored)". */
        public String attemptsDescription() {
            List<String> parts = new ArrayList<>();
            for (Attempt a : attempts) {
                String outcome;
                if (stored != null && stored.attempt() == a.number()) {
                    outcome = stored.succeeded() ? "stored" : "failed, stored";
                } else if (duplicates.stream().anyMatch(d -> d.attempt() == a.number())) {
                    outcome = "finished too, discarded";
                } else {
                    outcome = "did not finish";
                }
                parts.add("#" + a.number() + " on " + a.address() + " (" + outcome + ")");
            }
            return String.join(", ", parts);
        }
    }

    /** Wall seconds from the first job sent to the last result. */
    public double seconds() {
        return wall.toNanos() / 1e9;
    }

    /** The jobs that more than one member took. */
    public List<JobHistory> ranTwice() {
        return jobs.stream().filter(JobHistory::ranTwice).toList();
    }

    /** Whether every job has exactly one stored result (each job's entry holds one, and only one, result). */
    public boolean storedOnce() {
        return storedKeys == jobs.size() && jobs.stream().allMatch(j -> j.stored() != null);
    }

    /** Whether every job has a stored successful result. */
    public boolean complete() {
        return storedOnce() && jobs.stream().allMatch(j -> j.stored().succeeded());
    }

    /**
     * The procs.py report: a header, one line per result, failures, the jobs taken more than once, the total
     * (member events are printed as they happen and kept in {@link #events()}).
     */
    public String report() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Checking %d numbers with %s:%n",
                submitted.size(), description));
        for (PrimeResult r : results) {
            sb.append(r.line()).append('\n');
        }
        for (JobHistory j : jobs) {
            if (j.stored() != null && !j.stored().succeeded()) {
                sb.append(String.format(Locale.ROOT, "%16d  FAILED: %s%n", j.n(), j.stored().failure()));
            }
        }
        for (JobHistory j : ranTwice()) {
            sb.append(String.format(Locale.ROOT, "%16d  taken %d times: %s%n", j.n(), j.attempts().size(),
                    j.attemptsDescription()));
        }
        sb.append(String.format(Locale.ROOT, "%d checks in %.2fs, %d results stored for %d jobs",
                results.size(), seconds(), storedKeys, jobs.size()));
        return sb.toString();
    }

    /**
     * The run as a {@link PoolRun} of model "cluster", for sweeps and Gantt charts: one worker row per member
     * (in the order members first took a job), one span per attempt; an attempt that did not finish ends where
     * the next attempt of the job began.
     */
    public PoolRun toPoolRun() {
        Map<String, Integer> rows = new LinkedHashMap<>();
        List<JobSpan> timeline = new ArrayList<>();
        List<Long> retried = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        for (JobHistory j : jobs) {
            for (int i = 0; i < j.attempts().size(); i++) {
                Attempt a = j.attempts().get(i);
                int row = rows.computeIfAbsent(a.address(), k -> rows.size());
                JobResult finished = j.stored() != null && j.stored().attempt() == a.number() ? j.stored()
                        : j.duplicates().stream().filter(d -> d.attempt() == a.number()).findFirst().orElse(null);
                long end = finished != null ? finished.endNanos()
                        : i + 1 < j.attempts().size() ? j.attempts().get(i + 1).startNanos() : a.startNanos();
                timeline.add(new JobSpan(row, j.n(), since(a.startNanos()), since(end), finished != null));
            }
            if (j.ranTwice()) {
                retried.add(j.n());
            }
            if (j.stored() == null || !j.stored().succeeded()) {
                failed.add(j.n());
            }
        }
        timeline.sort((x, y) -> x.start().compareTo(y.start()));
        return new PoolRun("cluster", Math.max(members, rows.size()), submitted, results, timeline, wall, members,
                retried, failed);
    }

    private Duration since(long epochNanos) {
        return Duration.ofNanos(Math.max(0, epochNanos - startNanos));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClusterRun[%s: %d/%d results in %.3f s, %d ran twice]", description,
                results.size(), submitted.size(), seconds(), ranTwice().size());
    }
}
