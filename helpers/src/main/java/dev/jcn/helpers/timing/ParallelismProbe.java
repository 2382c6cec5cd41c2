package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Concurrency versus parallelism, measured: {@code threads} platform threads each check the same big prime
 * {@value #ROUNDS} times (about 0.4 s), in a child JVM limited to {@code cpus} CPUs; the timing starts only
 * once the child is fully started. On one CPU two threads take about twice one thread's time
 * (concurrent, not parallel); on two CPUs about the same (parallel).
 *
 * <pre>{@code
 * double one = ParallelismProbe.inChildJvm(1, 1);       // seconds for one thread on one CPU
 * double twoOnOne = ParallelismProbe.inChildJvm(2, 1);  // about 2 × one
 * double twoOnTwo = ParallelismProbe.inChildJvm(2, 2);  // about 1 × one
 * }</pre>
 */
public final class ParallelismProbe {

    /** The prime each thread checks: the fixture's biggest job. */
    public static final long WORK = 9_999_999_999_999_917L;

    /**
     * How many times each thread checks {@link #WORK} by default: about 0.4 s of work per thread here, long
     * enough that starting threads and scheduling noise stay small next to it.
     */
    public static final int ROUNDS = 5;

    private ParallelismProbe() {
    }

    /**
     * Arguments: thread count, optionally rounds per thread (default {@value #ROUNDS}). Once fully started
     * (the parent watch running, the loop compiled) it prints {@code ready divisions-per-thread=N}, then
     * times the threads and prints {@code seconds=S}: wall time until every thread is done.
     */
    public static void main(String[] args) throws InterruptedException {
        ChildMain.watchParent();
        int threads = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : ROUNDS;
        ChildMain.awaitWatching(Duration.ofSeconds(5));
        Primes.isPrime(WORK);
        System.out.println("ready divisions-per-thread=" + rounds * Primes.divisions(WORK));
        System.out.flush();
        long t0 = System.nanoTime();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    Primes.isPrime(WORK);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "seconds=%.4f%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Runs the probe in a child JVM limited to {@code cpus} CPUs and returns its seconds (after one untimed
     * warm-up check).
     */
    public static double inChildJvm(int threads, int cpus) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ChildProcess child = ChildJvm.of(ParallelismProbe.class).cpus(cpus).args(Integer.toString(threads))
                .onOutputLine(lines::add).start()) {
            if (!child.waitFor(Duration.ofSeconds(120)) || child.exitCode() != 0) {
                throw new IllegalStateException("the parallelism probe did not finish cleanly");
            }
        }
        return lines.stream().filter(l -> l.startsWith("seconds=")).findFirst()
                .map(l -> Double.parseDouble(l.substring("seconds=".length())))
                .orElseThrow(() -> new IllegalStateException("the parallelism probe printed no result"));
    }
}
