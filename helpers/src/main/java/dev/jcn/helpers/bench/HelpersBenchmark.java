package dev.jcn.helpers.bench;

import dev.jcn.helpers.pool.JobSpan;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.AotCache;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import dev.jcn.helpers.timing.Hello;
import dev.jcn.helpers.timing.ParallelismProbe;
import dev.jcn.helpers.timing.StartCosts;
import dev.jcn.helpers.timing.SweepResult;
import dev.jcn.helpers.timing.Sweep;
import dev.jcn.helpers.timing.Timing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The helpers' benchmark: the figures {@code helpers/BENCHMARKS.md} records, measured against the goals.
 *
 * <pre>{@code
 * scripts/bench-helpers.sh            # builds the jar if needed and runs this class from it
 * scripts/bench-helpers.sh --quick    # fewer repeats
 * scripts/bench-helpers.sh --record helpers/BENCHMARKS.md   # also append the figures there
 * scripts/bench-helpers.sh --cluster  # the cluster's figures alone ({@link ClusterBenchmark})
 * scripts/bench-helpers.sh --jdwp     # what the JDWP agent costs when loaded ({@link JdwpCost}) alone
 * }</pre>
 *
 * <p>It prints: the machine; sequential ns per trial division over the fixture (thread CPU time, which a
 * busy shared machine disturbs less than wall time, and wall time) and the cost of the interruption check; the speedup of each model at 2 (and 4) workers; child JVM start to first output,
 * plain and with the fast-start options and the AOT cache; the parallelism probe; the cost of the JDWP
 * agent ({@link JdwpCost}); the cluster's figures ({@link ClusterBenchmark}). Run it from jars: the AOT
 * cache cannot be made for a class path with directories.
 */
public final class HelpersBenchmark {

    private static final double GOAL_NS_PER_DIVISION = 1.77;
    private static final double GOAL_THREADS_SPEEDUP = 1.75;
    private static final double GOAL_PROCESSES_SPEEDUP = 1.6;
    private static final double GOAL_START_MS = 25;

    private HelpersBenchmark() {
    }

    /**
     * Arguments: {@code --quick} for fewer repeats; {@code --cluster} for the cluster's figures alone;
     * {@code --jdwp} for the JDWP agent's cost alone;
     * {@code --record FILE} to append the figures to FILE (e.g. {@code helpers/BENCHMARKS.md}) as a dated
     * Markdown section.
     */
    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        boolean clusterOnly = options.contains("--cluster");
        boolean jdwpOnly = options.contains("--jdwp");
        int at = options.indexOf("--record");
        if (at >= 0 && at + 1 >= options.size()) {
            System.err.println("usage: HelpersBenchmark [--quick] [--cluster | --jdwp] [--record FILE]");
            System.exit(2);
        }
        Path record = at >= 0 ? Path.of(options.get(at + 1)) : null;
        ZonedDateTime started = ZonedDateTime.now(java.time.ZoneOffset.UTC);
        var copy = new java.io.ByteArrayOutputStream();
        java.io.PrintStream screen = System.out;
        System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                screen.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                screen.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void flush() {
                screen.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            machine();
            if (!clusterOnly && !jdwpOnly) {
                sequential(quick ? 3 : 9);
                speedups(quick ? 3 : 5);
                processPoolBreakdown(quick ? 3 : 5);
                childStart(quick ? 7 : 15);
                threadStarts();
                parallelism();
            }
            if (!clusterOnly) {
                JdwpCost.run(quick ? 3 : 5);
            }
            if (!jdwpOnly) {
                ClusterBenchmark.run(quick);
            }
        } finally {
            System.setOut(screen);
        }
        if (record != null) {
            String when = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd, HH:mm"));
            String section = "\n## Run of " + when + " UTC" + (quick ? " (--quick)" : "") + "\n\n```\n"
                    + copy.toString(java.nio.charset.StandardCharsets.UTF_8).strip() + "\n```\n";
            Files.writeString(record, section, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            System.out.println("recorded in " + record);
        }
    }

    private static void machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException ignored) {
            // Not Linux: the CPU model is simply not shown.
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException ignored) {
            // Not Linux: no load average.
        }
        System.out.printf(Locale.ROOT, "date: %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.printf(Locale.ROOT, "machine: %s, %d CPUs, Java %s, load average %s%n", cpu,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), load);
    }

    private static void sequential(int repeats) {
        long divisions = Primes.divisions(Primes.NUMBERS);
        // Warm both loops up, then interleave them so that a slow spell hits both alike.
        for (int i = 0; i < 2; i++) {
            Primes.NUMBERS.forEach(Primes::isPrime);
            Primes.NUMBERS.forEach(Primes::isPrimeIgnoringInterrupts);
        }
        List<double[]> checked = new ArrayList<>();
        List<double[]> unchecked = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            checked.add(perDivision(() -> Primes.NUMBERS.forEach(Primes::isPrime), divisions));
            unchecked.add(perDivision(() -> Primes.NUMBERS.forEach(Primes::isPrimeIgnoringInterrupts), divisions));
        }
        double wall = Timing.median(checked.stream().map(d -> d[0]).toList());
        double cpu = Timing.median(checked.stream().map(d -> d[1]).toList());
        double plainCpu = Timing.median(unchecked.stream().map(d -> d[1]).toList());
        double overhead = (cpu / plainCpu - 1) * 100;
        System.out.printf(Locale.ROOT, "%nsequential: %,d divisions; per division %.3f ns of thread CPU time, %.3f ns wall "
                        + "(medians of %d)  goal %.2f ±5%% %s%n", divisions, cpu, wall, repeats, GOAL_NS_PER_DIVISION,
                mark(cpu <= GOAL_NS_PER_DIVISION * 1.05));
        System.out.printf(Locale.ROOT, "interruption check: %.3f ns/division (CPU) without it, overhead %+.2f %%  goal <= 2 %% %s%n",
                plainCpu, overhead, mark(overhead <= 2));
    }

    /** Wall and thread CPU nanoseconds per division of one run of {@code work}. */
    private static double[] perDivision(Runnable work, long divisions) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - t0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        return new double[]{wall / (double) divisions, cpu / (double) divisions};
    }

    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + fields[0];
        } catch (IOException e) {
            return "load ?";
        }
    }

    private static void speedups(int repeats) {
        System.out.printf(Locale.ROOT, "%nspeedup over sequential (medians of %d runs, whole run incl. starting workers; %s):%n",
                repeats, load());
        AotCache.forClassPath(ChildJvm.classPath()).prepare(Duration.ofSeconds(120));
        SweepResult r = Sweep.of("threads", "virtual", "executor", "processes").workers(2, 4).repeats(repeats).run();
        System.out.printf(Locale.ROOT, "  %-11s %8s %9s %9s%n", "model", "workers", "seconds", "speedup");
        System.out.printf(Locale.ROOT, "  %-11s %8d %9.3f %9.2f%n", "sequential", 1, r.sequentialSeconds(), 1.0);
        for (String model : List.of("threads", "virtual", "executor", "processes")) {
            for (int w : List.of(2, 4)) {
                double speedup = r.speedup(model, w);
                String goal = "";
                if (w == 2 && model.equals("threads")) {
                    goal = String.format(Locale.ROOT, "  goal >= %.2f %s", GOAL_THREADS_SPEEDUP, mark(speedup >= GOAL_THREADS_SPEEDUP));
                } else if (w == 2 && model.equals("processes")) {
                    goal = String.format(Locale.ROOT, "  goal >= %.2f %s", GOAL_PROCESSES_SPEEDUP, mark(speedup >= GOAL_PROCESSES_SPEEDUP));
                }
                System.out.printf(Locale.ROOT, "  %-11s %8d %9.3f %9.2f%s%n", model, w, r.medianSeconds(model, w), speedup, goal);
            }
        }
    }

    /**
     * Where a 2-worker process pool run spends the time that a thread pool does not: starting the worker JVMs
     * (start to first answer, less the time the worker itself spent on that job), the pipe round trip of each
     * later job (its span in the parent less the worker's own time), the workers' compute time against the
     * same numbers checked sequentially in this JVM (JIT warm-up in fresh JVMs), and the shutdown after the
     * last result (stopping the workers, which the run's time does not include).
     */
    private static void processPoolBreakdown(int repeats) {
        System.out.printf(Locale.ROOT, "%nprocess pool, 2 workers, where the time goes (medians of %d runs; %s):%n",
                repeats, load());
        List<Double> slowerStart = new ArrayList<>();
        List<Double> perJob = new ArrayList<>();
        List<Double> computeRatio = new ArrayList<>();
        List<Double> shutdown = new ArrayList<>();
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            double sequential = Pools.sequential().run().results().stream().mapToDouble(PrimeResult::seconds).sum();
            long t0 = System.nanoTime();
            PoolRun run = Pools.processes(2).run();
            double outer = (System.nanoTime() - t0) / 1e9;
            runs.add(run.seconds());
            shutdown.add((outer - run.seconds()) * 1e3);
            Map<Long, Double> own = new HashMap<>();
            run.results().forEach(r -> own.put(r.n(), r.seconds()));
            double[] firstLatency = {-1, -1};
            for (JobSpan span : run.timeline()) {
                if (firstLatency[span.worker()] < 0) {
                    firstLatency[span.worker()] = span.seconds() - own.getOrDefault(span.n(), 0.0);
                }
            }
            slowerStart.add(Math.max(firstLatency[0], firstLatency[1]) * 1e3);
            perJob.add(Timing.overheadPerJob(run).toNanos() / 1e6);
            computeRatio.add(own.values().stream().mapToDouble(Double::doubleValue).sum() / sequential);
        }
        System.out.printf(Locale.ROOT, "  run %.3f s; slower worker's start to its first answer (less its compute) %.1f ms;%n"
                        + "  per later job, parent span less the worker's own time %.2f ms; workers' compute / sequential %.3f;%n"
                        + "  shutdown after the last result (not in the run's time) %.1f ms%n",
                Timing.median(runs), Timing.median(slowerStart), Timing.median(perJob), Timing.median(computeRatio),
                Timing.median(shutdown));
    }

    private static void childStart(int repeats) {
        System.out.printf(Locale.ROOT, "%nchild JVM start -> first output (median of %d; %s):%n", repeats, load());
        AotCache cache = AotCache.forClassPath(ChildJvm.classPath());
        boolean ready = cache.prepare(Duration.ofSeconds(120));
        double plain = startMillis(repeats, false, false);
        double lean = startMillis(repeats, true, false);
        System.out.printf(Locale.ROOT, "  plain JVM (default options, default CDS)      %6.1f ms%n", plain);
        System.out.printf(Locale.ROOT, "  fast-start options, no AOT cache             %6.1f ms%n", lean);
        if (ready) {
            // Interleaved, so that a busy spell of the machine hits both alike.
            List<Double> aot = new ArrayList<>();
            List<Double> withC2 = new ArrayList<>();
            startOnce(true, true);
            for (int i = 0; i < repeats; i++) {
                aot.add(startOnce(true, true));
                withC2.add(startOnce(true, true, WITH_C2));
            }
            double median = Timing.median(aot);
            System.out.printf(Locale.ROOT, "  fast-start options + AOT cache (C1 only)     %6.1f ms  goal <= %.0f ms %s%n", median,
                    GOAL_START_MS, mark(median <= GOAL_START_MS));
            System.out.printf(Locale.ROOT, "  same with C1 and C2, as CPU-bound children   %6.1f ms%n", Timing.median(withC2));
        } else {
            System.out.println("  AOT cache: " + cache.status());
        }
    }

    private static double startMillis(int repeats, boolean fast, boolean aot) {
        startOnce(fast, aot);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            ms.add(startOnce(fast, aot));
        }
        return Timing.median(ms);
    }

    /** Undoes {@link ChildJvm#PRINT_AND_EXIT_OPTIONS}: both JIT compilers, as CPU-bound children start. */
    private static final String WITH_C2 = "-XX:TieredStopAtLevel=4";

    private static double startOnce(boolean fast, boolean aot, String... options) {
        try (ChildProcess child = ChildJvm.of(Hello.class).fastStart(fast).aotCache(aot).jvmOptions(options)
                .onOutputLine(l -> { }).start()) {
            if (!child.waitFor(Duration.ofSeconds(20)) || child.firstOutputAfter().isEmpty()) {
                throw new IllegalStateException("a child JVM printed nothing within 20 s");
            }
            return child.firstOutputAfter().get().toNanos() / 1e6;
        }
    }

    private static void threadStarts() {
        System.out.printf(Locale.ROOT, "%nthread start+join (median of 2000): platform %.1f µs, virtual %.1f µs%n",
                StartCosts.platformThread(2000).toNanos() / 1e3, StartCosts.virtualThread(2000).toNanos() / 1e3);
    }

    private static void parallelism() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            one.add(ParallelismProbe.inChildJvm(2, 1) / ParallelismProbe.inChildJvm(1, 1));
            two.add(ParallelismProbe.inChildJvm(2, 2) / ParallelismProbe.inChildJvm(1, 2));
        }
        System.out.printf(Locale.ROOT, "two CPU-bound threads vs one (median of 3): on 1 CPU %.2f×, on 2 CPUs %.2f×%s%n",
                Timing.median(one), Timing.median(two), ChildJvm.canPinCpus() ? " (taskset)" : " (no taskset)");
    }

    static String mark(boolean met) {
        return met ? "[met]" : "[NOT met]";
    }
}
