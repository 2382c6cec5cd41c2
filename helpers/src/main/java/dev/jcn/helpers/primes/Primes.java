package dev.jcn.helpers.primes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared prime fixture: the 20 {@link #NUMBERS} every concurrency model checks, and the one
 * algorithm they all use, trial division by odd numbers up to the integer square root.
 *
 * <pre>{@code
 * Primes.isPrime(9_999_999_999_999_917L);        // true, after about 50 million divisions
 * Primes.check(4_444_444_444_444_423L);          // PrimeResult[n=..., prime=true, elapsed=PT0.07S]
 * Primes.divisions(Primes.NUMBERS);              // 433,405,945 trial divisions in all
 * Primes.problems(results);                      // [] when every number was answered correctly
 * }</pre>
 *
 * <p>{@link #isPrime(long)} checks for thread interruption every 2<sup>16</sup> divisions, so a
 * cancelled task or an interrupted notebook cell stops within a fraction of a millisecond; when it
 * notices, it throws {@link CancellationException} and leaves the thread's interrupt status set.
 * The check costs well under 2 % (see {@code helpers/BENCHMARKS.md}).
 */
public final class Primes {

    /**
     * The 20 numbers of the notes' {@code primes.py}, in the same order. The largest job, 9999999999999917 (about
     * 50 million divisions), is last but one; the last number is divisible by 3 and needs a single division.
     */
    public static final List<Long> NUMBERS = List.of(
            2L, 142_702_110_479_723L, 299_593_572_317_531L, 3_333_333_333_333_301L,
            3_333_333_333_333_333L, 3_333_335_652_092_209L, 4_444_444_444_444_423L,
            4_444_444_444_444_444L, 4_444_444_488_888_889L, 5_555_553_133_149_889L,
            5_555_555_555_555_503L, 5_555_555_555_555_555L, 6_666_666_666_666_666L,
            6_666_666_666_666_719L, 6_666_667_141_414_921L, 7_777_777_536_340_681L,
            7_777_777_777_777_753L, 7_777_777_777_777_777L, 9_999_999_999_999_917L,
            9_999_999_999_999_999L);

    /** The primes among {@link #NUMBERS}: the expected answers, written down independently of the algorithm. */
    public static final Set<Long> EXPECTED_PRIMES = Set.of(
            2L, 142_702_110_479_723L, 299_593_572_317_531L, 3_333_333_333_333_301L,
            4_444_444_444_444_423L, 5_555_555_555_555_503L, 6_666_666_666_666_719L,
            7_777_777_777_777_753L, 9_999_999_999_999_917L);

    /**
     * The notes' {@code slow()} replacement in the GIL section, {@code is_prime(5_000_111_000_222_021)}: 35,355,731
     * divisions, under a tenth of a second for Java on the machines these helpers were measured on, seconds for
     * CPython.
     */
    public static final long SLOW_PRIME = 5_000_111_000_222_021L;

    /**
     * The largest prime below 2<sup>63</sup>: 1,518,500,249 divisions, 43 times {@link #SLOW_PRIME}'s, a few seconds
     * of CPU for Java, like the notes' three-second {@code slow()}.
     */
    public static final long BIG_PRIME = 9_223_372_036_854_775_783L;

    /** How many divisions {@link #isPrime(long)} does between two checks for interruption. */
    private static final long DIVISIONS_PER_CHECK = 1L << 16;

    private Primes() {
    }

    /**
     * The answer for the numbers that need no division (below 3, or even), or null when the division loop
     * must decide. The loops themselves stay separate: the check inside the hot loop is what they differ in.
     */
    private static Boolean withoutDivision(long n) {
        requireNonNegative(n);
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        return null;
    }

    /**
     * Trial division by odd numbers up to the integer square root, noticing interruption.
     *
     * @throws CancellationException if the thread is interrupted while checking (the interrupt status stays set)
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static boolean isPrime(long n) {
        Boolean known = withoutDivision(n);
        if (known != null) {
            return known;
        }
        long limit = isqrt(n);
        // The divisors go in runs of 2^16, with the interruption check between runs. Each run is a call: in a
        // fresh JVM (a pool's worker process) the next run already uses the optimised code as soon as the JIT
        // has it, whereas one long loop waits for on-stack replacement, which came milliseconds later here.
        for (long from = 3; from <= limit; from += 2 * DIVISIONS_PER_CHECK) {
            if (hasDivisor(n, from, Math.min(limit, from + 2 * (DIVISIONS_PER_CHECK - 1)))) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("prime check of " + n + " interrupted");
            }
        }
        return true;
    }

    /** Whether an odd number from {@code from} to {@code to} (both odd, inclusive) divides {@code n}. */
    private static boolean hasDivisor(long n, long from, long to) {
        for (long i = from; i <= to; i += 2) {
            if (n % i == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same loop as {@link #isPrime(long)} without the interruption check: only for measuring what that
     * check costs. A thread running it cannot be stopped by interruption.
     */
    public static boolean isPrimeIgnoringInterrupts(long n) {
        Boolean known = withoutDivision(n);
        if (known != null) {
            return known;
        }
        long limit = isqrt(n);
        for (long i = 3; i <= limit; i += 2) {
            if (n % i == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #isPrime(long)} that calls {@link Thread#yield()} every {@code every} divisions: the literal
     * Java translation of the notes' "power nap" ({@code await asyncio.sleep(0)}).
     *
     * @throws IllegalArgumentException if {@code every < 1} or {@code n < 0}
     */
    public static boolean isPrimeYielding(long n, long every) {
        return isPrimeNapping(n, every, Thread::yield);
    }

    /**
     * {@link #isPrime(long)} that calls {@code nap} every {@code every} divisions, e.g. {@code Thread::yield}
     * or {@code () -> LockSupport.parkNanos(1)}: a way to compare what lets other virtual threads on the
     * same carrier run. Interruption is checked after each nap.
     *
     * @throws IllegalArgumentException if {@code every < 1} or {@code n < 0}
     */
    public static boolean isPrimeNapping(long n, long every, Runnable nap) {
        if (every < 1) {
            throw new IllegalArgumentException("the nap interval must be at least 1 division, got " + every);
        }
        Boolean known = withoutDivision(n);
        if (known != null) {
            return known;
        }
        long limit = isqrt(n);
        long untilNap = every;
        for (long i = 3; i <= limit; i += 2) {
            if (n % i == 0) {
                return false;
            }
            if (--untilNap == 0) {
                untilNap = every;
                nap.run();
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("prime check of " + n + " interrupted");
                }
            }
        }
        return true;
    }

    /** Checks {@code n} and times it, like {@code check(n)} in the notes' {@code procs.py}. */
    public static PrimeResult check(long n) {
        long t0 = System.nanoTime();
        boolean prime = isPrime(n);
        return new PrimeResult(n, prime, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Checks every number in order on the calling thread. */
    public static List<PrimeResult> checkAll(List<Long> numbers) {
        List<PrimeResult> results = new ArrayList<>(numbers.size());
        for (long n : numbers) {
            results.add(check(n));
        }
        return results;
    }

    /** The integer square root: the largest {@code r} with {@code r * r <= n}. */
    public static long isqrt(long n) {
        requireNonNegative(n);
        long r = (long) Math.sqrt((double) n);
        // The double estimate can be off by one either way for numbers near 2^63.
        // Compared by division, because r * r overflows for n near Long.MAX_VALUE.
        while (r > 0 && r > n / r) {
            r--;
        }
        while (r + 1 <= n / (r + 1)) {
            r++;
        }
        return r;
    }

    /**
     * How many trial divisions {@link #isPrime(long)} performs for {@code n}: the work of one job. Finding it
     * costs as much as the check itself, so answers are remembered.
     */
    public static long divisions(long n) {
        requireNonNegative(n);
        if (n < 3 || n % 2 == 0) {
            return 0;
        }
        return DIVISIONS.computeIfAbsent(n, Primes::countDivisions);
    }

    private static final Map<Long, Long> DIVISIONS = new ConcurrentHashMap<>();

    private static long countDivisions(long n) {
        long limit = isqrt(n);
        for (long i = 3; i <= limit; i += 2) {
            if (n % i == 0) {
                return (i - 1) / 2;
            }
        }
        return limit < 3 ? 0 : (limit - 1) / 2;
    }

    /** The total trial divisions over {@code numbers}: the work of a whole run. */
    public static long divisions(Collection<Long> numbers) {
        long total = 0;
        for (long n : numbers) {
            total += divisions(n);
        }
        return total;
    }

    /**
     * Whether {@code n} is prime by the fixture's written-down answers.
     *
     * @throws IllegalArgumentException if {@code n} is not one of {@link #NUMBERS}
     */
    public static boolean expected(long n) {
        if (!NUMBERS.contains(n)) {
            throw new IllegalArgumentException(n + " is not one of Primes.NUMBERS");
        }
        return EXPECTED_PRIMES.contains(n);
    }

    /**
     * What is wrong with a run's answers for the fixture: numbers of {@link #NUMBERS} with no result, results
     * with a wrong answer, numbers answered twice. Empty when the run is complete and correct.
     */
    public static List<String> problems(Collection<PrimeResult> results) {
        List<String> problems = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (PrimeResult r : results) {
            if (!seen.add(r.n())) {
                problems.add("answered twice: " + r.n());
            }
            if (NUMBERS.contains(r.n()) && r.prime() != EXPECTED_PRIMES.contains(r.n())) {
                problems.add("wrong answer: " + r.n() + " is " + (r.prime() ? "not prime" : "prime"));
            } else if (!NUMBERS.contains(r.n())) {
                problems.add("not in the fixture: " + r.n());
            }
        }
        for (long n : NUMBERS) {
            if (!seen.contains(n)) {
                problems.add("missing: " + n);
            }
        }
        return problems;
    }

    private static void requireNonNegative(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("expected a non-negative number, got " + n);
        }
    }
}
