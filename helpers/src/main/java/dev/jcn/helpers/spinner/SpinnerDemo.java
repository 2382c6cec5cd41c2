package dev.jcn.helpers.spinner;

import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The notes' spinner experiments as one program, so a notebook can run them in a child JVM with chosen JVM
 * options, e.g. a single virtual-thread carrier to reproduce the asyncio freeze.
 *
 * <pre>{@code
 * var frozen = SpinnerDemo.inChildJvm("virtual", "prime", "-Djdk.virtualThreadScheduler.parallelism=1");
 * frozen.frames();     // 0: the spinner's virtual thread never ran while the prime was checked
 * var yielding = SpinnerDemo.inChildJvm("virtual", "prime-yield", 100_000, "-Djdk.virtualThreadScheduler.parallelism=1");
 * var parking = SpinnerDemo.inChildJvm("virtual", "prime-park", 100_000, "-Djdk.virtualThreadScheduler.parallelism=1");
 * parking.frames();    // many: a 1 ns park every 100,000 divisions unmounts the worker, the spinner runs
 * }</pre>
 *
 * <p>Spinners: {@code platform}, {@code process}, {@code virtual}, {@code scoped}, {@code shared}. Work:
 * {@code sleep} (3 s, the notes' {@code slow()}), {@code prime} ({@code isPrime(BIG_PRIME)}, a few seconds of
 * CPU, where the notes' {@code SLOW_PRIME} would be over too soon to watch), {@code prime-yield} (the same with
 * {@code Thread.yield()} every {@code napEvery} divisions, {@link #NAP_EVERY} unless given), {@code prime-park}
 * (the same with {@code LockSupport.parkNanos(1)} instead). A yield makes the worker runnable again at once, so
 * it competes with the woken spinner for the carrier; a park leaves the carrier to others until a timer wakes
 * the worker: the notebook shows both counts. The supervisor runs in a virtual thread, like the asyncio
 * version, so on a single carrier it competes with a virtual-thread spinner. It waits until the spinner has
 * drawn its first frame, then counts the frames drawn while the work runs. The program's last line is
 * {@code frames=N answer=42 seconds=S}.
 */
public final class SpinnerDemo {

    /** The spinner kinds this demo knows. */
    public static final List<String> SPINNERS = List.of("platform", "process", "virtual", "scoped", "shared");
    /** The kinds of work this demo knows. */
    public static final List<String> WORKS = List.of("sleep", "prime", "prime-yield", "prime-park");

    /** Divisions between two naps unless told otherwise: the nap interval of the book's example. */
    public static final long NAP_EVERY = 100_000;

    private SpinnerDemo() {
    }

    /**
     * Arguments: SPINNER WORK [NAP_EVERY]. Prints the spinner, then {@code spinner object: ...}, then the result
     * line.
     */
    public static void main(String[] args) throws Exception {
        ChildMain.watchParent();
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: SpinnerDemo " + SPINNERS + " " + WORKS + " [divisions between naps]");
            System.exit(2);
        }
        try {
            long napEvery = args.length == 3 ? Long.parseLong(args[2]) : NAP_EVERY;
            if (args[1].startsWith("prime-")) {
                System.out.println("nap_every=" + napEvery + " divisions");
            }
            SpinOutcome<Integer> outcome = run(args[0], args[1], napEvery);
            System.out.println("Answer: " + outcome.value());
            System.out.println(resultLine(outcome));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs one experiment in this JVM: the supervisor in a virtual thread starts the spinner, does the work,
     * stops the spinner; a napping work naps every {@link #NAP_EVERY} divisions.
     */
    public static SpinOutcome<Integer> run(String spinner, String work) {
        return run(spinner, work, NAP_EVERY);
    }

    /** {@link #run(String, String)} with a napping work napping every {@code napEvery} divisions. */
    public static SpinOutcome<Integer> run(String spinner, String work, long napEvery) {
        validate(spinner, work, napEvery);
        var outcome = new AtomicReference<SpinOutcome<Integer>>();
        var failure = new AtomicReference<Throwable>();
        Thread supervisor = Thread.ofVirtual().name("supervisor").start(() -> {
            try {
                outcome.set(supervise(spinner, work, napEvery));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            supervisor.join();
        } catch (InterruptedException e) {
            supervisor.interrupt();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (failure.get() instanceof RuntimeException r) {
            throw r;
        } else if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return outcome.get();
    }

    private static void validate(String spinner, String work, long napEvery) {
        if (!SPINNERS.contains(spinner)) {
            throw new IllegalArgumentException("unknown spinner '" + spinner + "'; choose one of " + SPINNERS);
        }
        if (!WORKS.contains(work)) {
            throw new IllegalArgumentException("unknown work '" + work + "'; choose one of " + WORKS);
        }
        if (napEvery < 1) {
            throw new IllegalArgumentException("nap at least every 1 division, got " + napEvery);
        }
    }

    private static SpinOutcome<Integer> supervise(String spinner, String work, long napEvery) {
        if (spinner.equals("scoped")) {
            return ScopedSpinner.supervise("thinking!", () -> slow(work, napEvery));
        }
        Function<String, Spinner> factory = switch (spinner) {
            case "platform" -> PlatformThreadSpinner::new;
            case "process" -> ProcessSpinner::new;
            case "virtual" -> VirtualThreadSpinner::new;
            default -> SharedMemorySpinner::new;
        };
        long t0 = System.nanoTime();
        try (Spinner s = factory.apply("thinking!")) {
            System.out.println("spinner object: " + s);
            awaitFirstFrame(s);
            int before = s.frames();
            int answer = slow(work, napEvery);
            return new SpinOutcome<>(answer, s.frames() - before, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * Lets the spinner draw its first frame before the work starts, so the count that follows is of frames
     * drawn during the work only. Polls with short sleeps, which also unmount a virtual supervisor so that a
     * virtual-thread spinner on the same carrier can run; gives up after 10 s.
     */
    private static void awaitFirstFrame(Spinner s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.frames() == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }

    private static int slow(String work, long napEvery) {
        switch (work) {
            case "sleep" -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }
            case "prime" -> Primes.isPrime(Primes.BIG_PRIME);
            case "prime-yield" -> Primes.isPrimeYielding(Primes.BIG_PRIME, napEvery);
            default -> Primes.isPrimeNapping(Primes.BIG_PRIME, napEvery, () -> LockSupport.parkNanos(1));
        }
        return 42;
    }

    static String resultLine(SpinOutcome<Integer> outcome) {
        return String.format(Locale.ROOT, "frames=%d answer=%d seconds=%.3f",
                outcome.frames(), outcome.value(), outcome.elapsed().toNanos() / 1e9);
    }

    /**
     * Runs one experiment in a child JVM with {@code jvmOptions}; its output is relayed live.
     *
     * @return the outcome the child reported
     * @throws IllegalStateException if the child fails or does not finish within 60 s
     */
    public static SpinOutcome<Integer> inChildJvm(String spinner, String work, String... jvmOptions) {
        return inChildJvm(spinner, work, NAP_EVERY, jvmOptions);
    }

    /**
     * {@link #inChildJvm(String, String, String...)} with a napping work napping every {@code napEvery}
     * divisions.
     */
    public static SpinOutcome<Integer> inChildJvm(String spinner, String work, long napEvery,
                                                  String... jvmOptions) {
        validate(spinner, work, napEvery);
        List<String> options = new ArrayList<>(List.of(jvmOptions));
        try (ChildProcess child = ChildJvm.of(SpinnerDemo.class).jvmOptions(options)
                .args(spinner, work, Long.toString(napEvery)).start()) {
            if (!child.waitFor(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the spinner demo did not finish within 60 s");
            }
            if (child.exitCode() != 0) {
                throw new IllegalStateException("the spinner demo failed with exit code " + child.exitCode());
            }
            String last = child.output().stream().filter(l -> l.contains("frames=")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("the spinner demo printed no result line"));
            return parse(last.substring(last.indexOf("frames=")));
        }
    }

    static SpinOutcome<Integer> parse(String line) {
        int frames = 0;
        int answer = 0;
        double seconds = 0;
        for (String part : line.strip().split(" ")) {
            String[] kv = part.split("=", 2);
            switch (kv[0]) {
                case "frames" -> frames = Integer.parseInt(kv[1]);
                case "answer" -> answer = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Double.parseDouble(kv[1]);
                default -> throw new IllegalStateException("unexpected result line: " + line);
            }
        }
        return new SpinOutcome<>(answer, frames, Duration.ofNanos((long) (seconds * 1e9)));
    }
}
