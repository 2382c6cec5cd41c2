package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ProcessTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PoolsTest {

    private static final long BIGGEST = 9_999_999_999_999_917L;

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual", "executor", "processes"})
    void everyModelAnswersAllTwentyNumbersCorrectlyWithATimeline(String model) {
        WorkerPool pool = Pools.of(model, 2);
        PoolRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pool.run());
        assertThat(Primes.problems(run.results())).isEmpty();
        assertThat(run.complete()).isTrue();
        assertThat(run.model()).isEqualTo(model);
        assertThat(run.workersFinished()).isEqualTo(pool.workers());
        assertThat(run.timeline()).hasSize(20).allSatisfy(span -> {
            assertThat(span.worker()).isBetween(0, pool.workers() - 1);
            assertThat(span.end()).isGreaterThanOrEqualTo(span.start());
            assertThat(span.end()).isLessThanOrEqualTo(run.wall());
            assertThat(span.completed()).isTrue();
        });
        assertThat(run.report()).startsWith("Checking 20 numbers with " + run.workersDescription() + ":\n")
                .contains("9999999999999917  P").endsWith(String.format("20 checks in %.2fs", run.seconds()));
        assertNoWorkerLeft();
    }

    @Test
    void theReportNamesTheWorkersOfEachModelInWords() {
        List<Long> one = List.of(7L);
        assertThat(Pools.sequential().run(one).workersDescription()).isEqualTo("1 thread (sequential)");
        assertThat(Pools.threads(2).run(one).workersDescription()).isEqualTo("2 platform threads");
        assertThat(Pools.threads(1).run(one).workersDescription()).isEqualTo("1 platform thread");
        assertThat(Pools.virtualThreads(4).run(one).workersDescription()).isEqualTo("4 virtual threads");
        assertThat(Pools.executor(2).run(one).workersDescription())
                .isEqualTo("a fixed thread pool of 2 platform threads");
        assertThat(Pools.racyThreads(2).run(one).workersDescription())
                .isEqualTo("2 platform threads (collector stops once the job queue looks empty)");
        PoolRun processes = Pools.processes(2).run(one);
        assertThat(processes.workersDescription()).isEqualTo("2 worker processes");
        assertThat(processes.report()).startsWith("Checking 1 number with 2 worker processes:\n");
        assertNoWorkerLeft();
    }

    @Test
    void withMoreWorkersEveryWorkerGetsJobs() {
        PoolRun run = Pools.threads(4).run();
        assertThat(run.timeline().stream().map(JobSpan::worker).distinct()).hasSize(4);
        assertThat(run.workersFinished()).isEqualTo(4);
    }

    /** A collector this slow reads 20 results in 4 s, long after two workers have taken their pills. */
    private static final Duration SLOW_CONSOLE = Duration.ofMillis(200);

    @Test
    void theRacyThreadVariantLosesTheResultsItHadNotReadWhenTheJobQueueEmptied() {
        for (int i = 0; i < 2; i++) {
            PoolRun run = Pools.racyThreads(2).collectorPause(SLOW_CONSOLE).run();
            assertThat(run.model()).isEqualTo("racy-threads");
            assertThat(run.missing()).isNotEmpty();
            assertThat(run.results().size() + run.missing().size()).isEqualTo(20);
            assertThat(Primes.problems(run.results())).allMatch(p -> p.startsWith("missing: "));
            assertThat(run.complete()).isFalse();
            assertThat(run.report()).contains("lost");
            assertNoWorkerLeft();
        }
    }

    @Test
    void theCorrectCollectorOnlyGetsSlowerWithTheSamePause() {
        PoolRun run = Pools.threads(2).collectorPause(Duration.ofMillis(20)).run();
        assertThat(run.complete()).isTrue();
        assertThat(run.seconds()).isGreaterThanOrEqualTo(20 * 0.020);
        assertNoWorkerLeft();
    }

    @Test
    void theRacyProcessVariantLosesResultsToo() {
        PoolRun run = Pools.racyProcesses(2).collectorPause(SLOW_CONSOLE).run();
        assertThat(run.missing()).isNotEmpty();
        assertThat(run.results().size() + run.missing().size()).isEqualTo(20);
        assertNoWorkerLeft();
    }

    @Test
    void aNegativeCollectorPauseIsRefused() {
        assertThatThrownBy(() -> Pools.racyThreads(2).collectorPause(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }

    @Test
    void aWorkerKilledMidJobIsReplacedAndItsJobRunAgain() {
        PoolRun run = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Pools.processes(2).killingWorkerOn(BIGGEST, 1).run());
        assertThat(run.complete()).isTrue();
        assertThat(Primes.problems(run.results())).isEmpty();
        assertThat(run.retried()).containsExactly(BIGGEST);
        assertThat(run.failed()).isEmpty();
        assertThat(run.timeline()).filteredOn(s -> !s.completed()).extracting(JobSpan::n).containsExactly(BIGGEST);
        assertThat(run.report()).contains("retried");
        assertNoWorkerLeft();
    }

    @Test
    void aJobWhoseWorkerDiesTwiceIsReportedFailedAndThePoolDoesNotHang() {
        PoolRun run = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Pools.processes(2).killingWorkerOn(BIGGEST, 2).run());
        assertThat(run.failed()).containsExactly(BIGGEST);
        assertThat(run.results()).hasSize(19);
        assertThat(run.missing()).isEmpty();
        assertThat(run.complete()).isFalse();
        assertThat(run.workersFinished()).isEqualTo(2);
        assertThat(run.report()).contains("FAILED");
        assertNoWorkerLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "executor", "processes"})
    void anInterruptedRunStopsEveryWorkerAndSaysSo(String model) throws Exception {
        var failure = new AtomicReference<Throwable>();
        var started = new CompletableFuture<Void>();
        Thread caller = Thread.ofPlatform().start(() -> {
            started.complete(null);
            try {
                Pools.of(model, 2).run(List.of(Primes.BIG_PRIME, Primes.BIG_PRIME, Primes.BIG_PRIME));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        started.get(5, TimeUnit.SECONDS);
        // Interrupt once the workers exist, so the test covers stopping them, not an early exit. Virtual
        // threads are not listed by Thread.getAllStackTraces, so for them the interrupt comes at once.
        if (!model.equals("virtual")) {
            waitUntil(() -> workerThreads() > 0);
        }
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(15))).as("the run returned").isTrue();
        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        assertNoWorkerLeft();
    }

    @Test
    void badInputGetsAClearMessage() {
        assertThatThrownBy(() -> Pools.threads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pool needs at least 1 worker, got 0");
        assertThatThrownBy(() -> Pools.of("processes", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pools.threads(2).run(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Pools.processes(2).run(List.of(7L, -3L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> Pools.processes(2).run(List.of(7L, 0L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poison pill");
        assertThatThrownBy(() -> Pools.of("greenlets", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose one of");
    }

    /** Platform threads the pools start (virtual threads are not listed by the JDK). */
    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("threads-worker-") || name.startsWith("racy-threads-worker-")
                        || name.startsWith("executor-worker-") || name.startsWith("process-pool-feeder-"))
                .count();
    }

    /** A bounded wait on a condition that no event signals (threads and processes appearing). */
    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void assertNoWorkerLeft() {
        waitUntil(() -> workerThreads() == 0);
        assertThat(ProcessTree.current().entries()).as("child processes left").hasSize(1);
    }
}
