package dev.jcn.helpers.timing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * How much of the machine other programs took just before a timing, or while it ran: the CPU time that every
 * process outside this JVM's own family (the JVM itself, the processes it started, and the ones that started it:
 * in a notebook, the kernel and whatever runs the notebook) used over a window, in cores.
 *
 * <pre>{@code
 * MachineLoad before = MachineLoad.sample();      // watches the machine for one second
 * before.othersCores();                           // e.g. 0.12: other programs used an eighth of one core
 * before.freeCores();                             // 1.88 of 2
 * System.out.println(before.line());              // machine others_cores=0.12 free_cores=1.88 cores=2 ...
 *
 * MachineLoad.Spans during = MachineLoad.spans(); // and while each timed part runs
 * double s = during.watch(() -> work());          // runs the part, notes what others used meanwhile
 * System.out.println(during.line());              // machine-during spans=1 others_cores=0.98 ... (the busiest)
 * }</pre>
 *
 * <p>A timing that compares one core with two says little when other programs took one of the two cores while
 * it ran. The window of {@link #sample()} is spent idle, so this JVM's own earlier work does not count, unlike in
 * the 1-minute load average (printed beside it for comparison). A look before cannot see a program that starts
 * after it, so {@link #watch()} watches the span of the timing itself: there this JVM's own work falls into the
 * family's CPU time and is left out by the same arithmetic. The system-wide CPU time comes from
 * {@code /proc/stat} and so includes processes that started and ended within the window; where there is no
 * {@code /proc/stat}, the load average minus this JVM's own share stands in for it.
 *
 * @param othersCores CPU time used by other processes during the window, divided by the window: 0 to {@code cores}
 * @param cores       the processors this JVM may use
 * @param loadAverage the system's 1-minute load average (negative if unknown)
 * @param window      how long the machine was watched
 */
public record MachineLoad(double othersCores, int cores, double loadAverage, Duration window) {

    /** How long {@link #sample()} watches the machine. */
    public static final Duration WINDOW = Duration.ofSeconds(1);

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Watches the machine for {@link #WINDOW}. */
    public static MachineLoad sample() {
        return sample(WINDOW);
    }

    /**
     * Watches the machine for {@code window}, idle, and reports what other processes used.
     *
     * @throws IllegalArgumentException if the window is not positive
     * @throws CancellationException    if the thread is interrupted while it waits
     */
    public static MachineLoad sample(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, got " + window);
        }
        Watch watch = watch();
        try {
            TimeUnit.NANOSECONDS.sleep(window.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while watching the machine");
        }
        return watch.stop();
    }

    /**
     * Starts watching the machine while the caller works: {@link Watch#stop()} reports what other processes used
     * from now until then. The work of this JVM (and of its family) in the meantime is not counted.
     */
    public static Watch watch() {
        return new Watch();
    }

    /** Collects what other programs used during each of several timed spans; see {@link Spans#watch}. */
    public static Spans spans() {
        return new Spans();
    }

    /** A watch started by {@link #watch()}. */
    public static final class Watch {
        private final Optional<Long> busyBefore = systemBusyTicks();
        private final long familyBefore = familyCpuNanos();
        private final long t0 = System.nanoTime();
        private MachineLoad result;

        private Watch() {
        }

        /** What other processes used since the watch started; a second call gives the first call's answer. */
        public synchronized MachineLoad stop() {
            if (result == null) {
                long elapsed = Math.max(1, System.nanoTime() - t0);
                Optional<Long> busyAfter = systemBusyTicks();
                long family = Math.max(0, familyCpuNanos() - familyBefore);
                int cores = Runtime.getRuntime().availableProcessors();
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage();
                double others;
                if (busyBefore.isPresent() && busyAfter.isPresent()) {
                    others = othersCores(busyAfter.get() - busyBefore.get(), family, elapsed);
                } else {
                    others = load < 0 ? 0 : load - family / (double) elapsed;
                }
                result = new MachineLoad(Math.clamp(others, 0, cores), cores, load, Duration.ofNanos(elapsed));
            }
            return result;
        }
    }

    /**
     * What other programs used during each of several timed spans, e.g. every run of a measurement. A result
     * built from several runs is only as good as the busiest of them, so that is the one {@link #line()} prints.
     */
    public static final class Spans {
        private final List<MachineLoad> spans = new CopyOnWriteArrayList<>();

        private Spans() {
        }

        /** Runs {@code timed}, watching the machine meanwhile, and returns its result. */
        public <T> T watch(Callable<T> timed) throws Exception {
            Watch watch = MachineLoad.watch();
            try {
                return timed.call();
            } finally {
                add(watch.stop());
            }
        }

        void add(MachineLoad span) {
            spans.add(span);
        }

        /** What other programs used during each span so far, in order. */
        public List<MachineLoad> all() {
            return List.copyOf(spans);
        }

        /**
         * The span during which other programs used the most.
         *
         * @throws IllegalStateException if no span was watched yet
         */
        public MachineLoad busiest() {
            return spans.stream().max(Comparator.comparingDouble(MachineLoad::othersCores))
                    .orElseThrow(() -> new IllegalStateException("no span was watched"));
        }

        /**
         * One line for notebooks and their checks: how many spans were watched and the busiest of them, e.g.
         * {@code machine-during spans=7 others_cores=0.03 free_cores=1.97 cores=2 load_average=0.9 window_s=0.452}.
         */
        public String line() {
            MachineLoad b = busiest();
            return String.format(Locale.ROOT, "machine-during spans=%d others_cores=%.2f free_cores=%.2f cores=%d "
                    + "load_average=%.1f window_s=%.3f", spans.size(), b.othersCores(), b.freeCores(), b.cores(),
                    b.loadAverage(), b.window().toNanos() / 1e9);
        }
    }

    /** The machine's busy ticks over a window, less this family's CPU time, in cores. */
    static double othersCores(long busyTicks, long familyNanos, long windowNanos) {
        return (busyTicks * 1e9 / TICKS_PER_SECOND - familyNanos) / windowNanos;
    }

    /** The cores' worth of CPU time that other programs left free during the window. */
    public double freeCores() {
        return Math.max(0, cores - othersCores);
    }

    /**
     * One line for notebooks and their checks, e.g.
     * {@code machine others_cores=0.12 free_cores=1.88 cores=2 load_average=0.8}.
     */
    public String line() {
        return String.format(Locale.ROOT, "machine others_cores=%.2f free_cores=%.2f cores=%d load_average=%.1f",
                othersCores, freeCores(), cores, loadAverage);
    }

    /** In words, e.g. "other programs used 0.12 of 2 cores (1-minute load average 0.8)". */
    public String describe() {
        return String.format(Locale.ROOT, "other programs used %.2f of %d cores (1-minute load average %.1f)",
                othersCores, cores, loadAverage);
    }

    @Override
    public String toString() {
        return line();
    }

    /** Linux reports CPU time in clock ticks of 1/100 s on every architecture the JDK runs on (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * The machine's busy time so far, from the first line of /proc/stat: user, nice, system, irq, softirq and
     * steal ticks (idle and iowait left out; guest time is already part of user).
     */
    static Optional<Long> systemBusyTicks() {
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            return lines.isEmpty() ? Optional.empty() : parseBusyTicks(lines.getFirst());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> parseBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 8 || !f[0].equals("cpu")) {
            return Optional.empty();
        }
        try {
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            if (f.length > 8) {
                busy += Long.parseLong(f[8]);
            }
            return Optional.of(busy);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** CPU time of this JVM, its descendants and its ancestors, as far as the system tells. */
    static long familyCpuNanos() {
        Set<Long> seen = new HashSet<>();
        long total = 0;
        ProcessHandle self = ProcessHandle.current();
        for (ProcessHandle p = self.parent().orElse(null); p != null && seen.add(p.pid());
             p = p.parent().orElse(null)) {
            total += cpuNanos(p);
        }
        if (seen.add(self.pid())) {
            total += cpuNanos(self);
        }
        for (ProcessHandle d : self.descendants().toList()) {
            if (seen.add(d.pid())) {
                total += cpuNanos(d);
            }
        }
        return total;
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
