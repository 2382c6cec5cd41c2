package dev.jcn.helpers.primes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrimesTest {

    @Test
    void theDocumentedSizesOfTheSlowAndBigPrimesAndOfTheBiggestJob() {
        assertThat(Primes.divisions(Primes.SLOW_PRIME)).isEqualTo(35_355_731L);
        assertThat((Primes.isqrt(Primes.BIG_PRIME) - 1) / 2).as("a prime is divided up to its root")
                .isEqualTo(1_518_500_249L);
        long biggest = java.util.Collections.max(Primes.NUMBERS,
                java.util.Comparator.comparingLong(Primes::divisions));
        assertThat(Primes.NUMBERS.indexOf(biggest)).as("the biggest job is last but one")
                .isEqualTo(Primes.NUMBERS.size() - 2);
        assertThat(Primes.divisions(Primes.NUMBERS.getLast())).isEqualTo(1);
    }

    @Test
    void theFixtureHasTheTwentyNumbersOfTheNotesWithTheBiggestJobLast() {
        assertThat(Primes.NUMBERS).hasSize(20).doesNotHaveDuplicates();
        assertThat(Primes.NUMBERS.getLast()).isEqualTo(9_999_999_999_999_999L);
        assertThat(Primes.NUMBERS).containsAll(Primes.EXPECTED_PRIMES);
        assertThat(Primes.EXPECTED_PRIMES).hasSize(9);
    }

    @Test
    void isPrimeGivesTheWrittenDownAnswerForEveryNumberOfTheFixture() {
        for (long n : Primes.NUMBERS) {
            assertThat(Primes.isPrime(n)).as("isPrime(%d)", n).isEqualTo(Primes.EXPECTED_PRIMES.contains(n));
        }
    }

    @Test
    void everyVariantAgreesWithASieveOnSmallNumbers() {
        int limit = 20_000;
        boolean[] composite = new boolean[limit];
        for (int i = 2; i * i < limit; i++) {
            for (int j = i * i; j < limit; j += i) {
                composite[j] = true;
            }
        }
        for (int n = 0; n < limit; n++) {
            boolean prime = n >= 2 && !composite[n];
            assertThat(Primes.isPrime(n)).as("isPrime(%d)", n).isEqualTo(prime);
            assertThat(Primes.isPrimeIgnoringInterrupts(n)).isEqualTo(prime);
            assertThat(Primes.isPrimeYielding(n, 3)).isEqualTo(prime);
        }
    }

    @Test
    void divisorsAtTheEdgesOfTheRunsBetweenInterruptionChecksAreFound() {
        // isPrime tries divisors in runs of 2^16 (3..131073, 131075..262145, ...): the smallest divisor of
        // each number below lies at or next to a run's edge.
        for (long q = 131_061; q <= 131_091; q += 2) {
            for (long n : new long[]{q * q, q * 1_000_003L, q * 262_147L}) {
                assertThat(Primes.isPrime(n)).as("isPrime(%d)", n).isEqualTo(Primes.isPrimeIgnoringInterrupts(n));
            }
        }
        assertThat(Primes.isPrime(131_071L * 131_071L)).isFalse();
        assertThat(Primes.isPrime(131_075L * 131_075L)).isFalse();
        assertThat(Primes.isPrime(262_147L * 262_147L)).isFalse();
        assertThat(Primes.isPrime(1_000_003L)).isTrue();
    }

    @Test
    void isqrtIsExactUpToTheLargestLong() {
        for (long r : new long[]{0, 1, 2, 3, 1_000_000, 3_037_000_499L}) {
            assertThat(Primes.isqrt(r * r)).isEqualTo(r);
            if (r > 0) {
                assertThat(Primes.isqrt(r * r - 1)).isEqualTo(r - 1);
            }
        }
        assertThat(Primes.isqrt(Long.MAX_VALUE)).isEqualTo(3_037_000_499L);
        assertThat(Primes.isqrt(Primes.BIG_PRIME)).isEqualTo(3_037_000_499L);
    }

    @Test
    void theDivisionCountsMatchTheMeasuredWorkload() {
        // The totals recorded in MEASURED.md, from an independent prototype.
        assertThat(Primes.divisions(Primes.NUMBERS)).isEqualTo(433_405_945L);
        long largest = Primes.NUMBERS.stream().mapToLong(Primes::divisions).max().orElseThrow();
        assertThat(largest).isEqualTo(49_999_999L);
        assertThat(Primes.divisions(9L)).isEqualTo(1);
        assertThat(Primes.divisions(25L)).isEqualTo(2);
        assertThat(Primes.divisions(2L)).isZero();
    }

    @Test
    void anInterruptedCheckStopsQuicklyAndKeepsTheInterruptStatus() throws Exception {
        var failure = new AtomicReference<Throwable>();
        var stillInterrupted = new AtomicBoolean();
        var started = new CompletableFuture<Void>();
        Thread t = Thread.ofPlatform().start(() -> {
            started.complete(null);
            try {
                Primes.isPrime(Primes.BIG_PRIME);
            } catch (Throwable e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        started.get(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        t.interrupt();
        assertThat(t.join(Duration.ofSeconds(2))).as("stopped within 2 s").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void theNapRunsEveryGivenNumberOfDivisions() {
        var naps = new AtomicInteger();
        long n = 9_999_999_999_999_917L;
        assertThat(Primes.isPrimeNapping(n, 1_000_000, naps::incrementAndGet)).isTrue();
        assertThat((long) naps.get()).isEqualTo(Primes.divisions(n) / 1_000_000);
    }

    @Test
    void badInputGetsAClearMessage() {
        assertThatThrownBy(() -> Primes.isPrime(-7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-7");
        assertThatThrownBy(() -> Primes.isPrimeYielding(7, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Primes.expected(8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one of Primes.NUMBERS");
        assertThatThrownBy(() -> new PrimeResult(1, false, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void problemsFindsMissingWrongAndDuplicateAnswers() {
        List<PrimeResult> results = new ArrayList<>();
        for (long n : Primes.NUMBERS) {
            results.add(new PrimeResult(n, Primes.expected(n), Duration.ZERO));
        }
        assertThat(Primes.problems(results)).isEmpty();

        results.removeFirst();
        results.set(0, new PrimeResult(results.getFirst().n(), !results.getFirst().prime(), Duration.ZERO));
        results.add(results.getLast());
        assertThat(Primes.problems(results)).hasSize(3)
                .anyMatch(p -> p.startsWith("missing: 2"))
                .anyMatch(p -> p.startsWith("wrong answer: " + results.getFirst().n()))
                .anyMatch(p -> p.startsWith("answered twice"));
    }

    @Test
    void theResultLineLooksLikeProcsPy() {
        var r = new PrimeResult(9_999_999_999_999_917L, true, Duration.ofNanos(88_512_345));
        assertThat(r.line()).isEqualTo("9999999999999917  P  0.088512s");
        assertThat(new PrimeResult(9, false, Duration.ofMillis(1)).line()).isEqualTo("               9     0.001000s");
        assertThat(Primes.check(7).prime()).isTrue();
    }
}
