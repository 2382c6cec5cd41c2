package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything one pool run produced: the results in the order they arrived, the per-job timeline, the
 * wall-clock time, and what went wrong (jobs retried after a worker died, jobs that failed, results lost).
 *
 * <pre>{@code
 * PoolRun run = Pools.processes(2).run();
 * System.out.println(run.report());          // the procs.py report: one line per number, then the total
 * run.seconds();  run.complete();  run.missing();  run.timeline();
 * }</pre>
 *
 * @param model           the pool's model name
 * @param workers         how many workers it had
 * @param submitted       the numbers submitted, in order
 * @param results         the results, in the order they arrived
 * @param timeline        one span per job attempt
 * @param wall            wall-clock time of the whole run, including starting and stopping workers
 * @param workersFinished how many workers reported that they finished (the poison-pill count)
 * @param retried         numbers whose worker died and that were run again
 * @param failed          numbers reported failed (their worker died on every attempt)
 */
public record PoolRun(String model, int workers, List<Long> submitted, List<PrimeResult> results,
                      List<JobSpan> timeline, Duration wall, int workersFinished,
                      List<Long> retried, List<Long> failed) {

    /** Copies the lists. */
    public PoolRun {
        submitted = List.copyOf(submitted);
        results = List.copyOf(results);
        timeline = List.copyOf(timeline);
        retried = List.copyOf(retried);
        failed = List.copyOf(failed);
    }

    /** Wall-clock seconds of the whole run. */
    public double seconds() {
        return wall.toNanos() / 1e9;
    }

    /** Submitted numbers with neither a result nor a failure report: lost. */
    public List<Long> missing() {
        Set<Long> answered = new HashSet<>(failed);
        results.forEach(r -> answered.add(r.n()));
        List<Long> missing = new ArrayList<>();
        for (long n : submitted) {
            if (!answered.contains(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** Whether every submitted number has a result. */
    public boolean complete() {
        return failed.isEmpty() && missing().isEmpty();
    }

    /** The report of the notes' {@code procs.py}: a header, one line per result, the summary. */
    public String report() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Checking %d number%s with %s:%n",
                submitted.size(), submitted.size() == 1 ? "" : "s", workersDescription()));
        for (PrimeResult r : results) {
            sb.append(r.line()).append('\n');
        }
        for (long n : retried) {
            sb.append(String.format(Locale.ROOT, "%16d  retried: its worker died%n", n));
        }
        for (long n : failed) {
            sb.append(String.format(Locale.ROOT, "%16d  FAILED: its worker died twice%n", n));
        }
        List<Long> missing = missing();
        if (!missing.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "lost %d results: %s%n", missing.size(), missing));
        }
        sb.append(String.format(Locale.ROOT, "%d checks in %.2fs", results.size(), seconds()));
        return sb.toString();
    }

    /**
     * The workers in words, as the report's header names them: "1 thread (sequential)", "2 platform threads",
     * "2 virtual threads", "a fixed thread pool of 2 platform threads", "2 worker processes", "2 cluster members";
     * the racy models add "(collector stops once the job queue looks empty)".
     */
    public String workersDescription() {
        String racy = model.startsWith("racy-") ? " (collector stops once the job queue looks empty)" : "";
        String base = model.startsWith("racy-") ? model.substring("racy-".length()) : model;
        String plural = workers == 1 ? "" : "s";
        String words = switch (base) {
            case "sequential" -> "1 thread (sequential)";
            case "threads" -> workers + " platform thread" + plural;
            case "virtual" -> workers + " virtual thread" + plural;
            case "executor" -> "a fixed thread pool of " + workers + " platform thread" + plural;
            case "processes" -> workers + " worker process" + (workers == 1 ? "" : "es");
            case "cluster" -> workers + " cluster member" + plural;
            default -> workers + " " + base + " worker" + plural;
        };
        return words + racy;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PoolRun[%s x%d: %d/%d results in %.3f s%s%s]", model, workers,
                results.size(), submitted.size(), seconds(),
                failed.isEmpty() ? "" : ", failed " + failed, missing().isEmpty() ? "" : ", lost " + missing());
    }
}
