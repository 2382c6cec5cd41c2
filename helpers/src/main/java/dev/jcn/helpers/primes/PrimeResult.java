package dev.jcn.helpers.primes;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * One answer of the fixture, like {@code PrimeResult(n, prime, elapsed)} in the notes' {@code procs.py}.
 *
 * <pre>{@code
 * PrimeResult r = Primes.check(9_999_999_999_999_917L);
 * r.prime();            // true
 * r.seconds();          // about 0.09
 * System.out.println(r.line());   // "9999999999999917  P  0.088512s", the procs.py report line
 * }</pre>
 *
 * <p>Serializable, so that a cluster member can send it back ({@code dev.jcn.helpers.cluster}).
 *
 * @param n       the number checked
 * @param prime   whether it is prime
 * @param elapsed how long the check took
 */
public record PrimeResult(long n, boolean prime, Duration elapsed) implements Serializable {

    /** Validates the components. */
    public PrimeResult {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got " + n);
        }
        if (elapsed == null || elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must be a non-negative duration, got " + elapsed);
        }
    }

    /** The elapsed time in seconds. */
    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    /** The report line of {@code procs.py}: the number, {@code P} when prime, the seconds. */
    public String line() {
        return String.format(Locale.ROOT, "%16d  %s %9.6fs", n, prime ? "P" : " ", seconds());
    }
}
