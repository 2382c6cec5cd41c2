package dev.jcn.helpers.cluster;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

/**
 * The fixture's job as a cluster task: check one number with {@link Primes#check(long)}.
 *
 * <pre>{@code
 * cluster.delay(new PrimeCheck(7)).get(Duration.ofSeconds(10));   // PrimeResult[n=7, prime=true, ...]
 * }</pre>
 *
 * @param n the number to check
 */
public record PrimeCheck(long n) implements ClusterTask<PrimeResult> {

    /** Rejects negative numbers. */
    public PrimeCheck {
        if (n < 0) {
            throw new IllegalArgumentException("numbers to check must be non-negative, got " + n);
        }
    }

    @Override
    public PrimeResult call() {
        return Primes.check(n);
    }
}
