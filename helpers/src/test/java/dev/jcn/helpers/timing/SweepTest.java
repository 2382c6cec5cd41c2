package dev.jcn.helpers.timing;

import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.testing.Capture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepTest {

    /** A quick workload: the fixture's numbers below 10^15 (about 15 ms of work). */
    private static final List<Long> SMALL = Primes.NUMBERS.stream().filter(n -> n < 1_000_000_000_000_000L).toList();

    @Test
    void aSweepRunsEveryCombinationAndTablesTheTimesWithSpeedups() {
        List<SweepProgress> progress = new ArrayList<>();
        Sweep sweep = Sweep.of("threads", "virtual").workers(1, 2).repeats(2).numbers(SMALL).onProgress(progress::add);
        assertThat(sweep.runCount()).isEqualTo(10);
        SweepResult result = sweep.run();

        Table table = result.toTable();
        assertThat(table.columnNames()).containsExactly("model", "workers", "repeat", "seconds", "speedup");
        assertThat(table.rowCount()).isEqualTo(10);
        assertThat(table.where(table.stringColumn("model").isEqualTo("sequential")).rowCount()).isEqualTo(2);
        assertThat(table.doubleColumn("seconds").min()).isPositive();
        double base = result.sequentialSeconds();
        table.forEach(row -> assertThat(row.getDouble("speedup")).isCloseTo(base / row.getDouble("seconds"),
                org.assertj.core.data.Offset.offset(1e-9)));

        Table medians = result.medians();
        assertThat(medians.columnNames()).containsExactly("model", "workers", "seconds", "speedup", "min", "max", "runs");
        assertThat(medians.rowCount()).isEqualTo(5);
        assertThat(medians.intColumn("runs").asList()).containsOnly(2);
        assertThat(result.speedup("sequential", 1)).isEqualTo(1.0);
        assertThat(result.models()).containsExactly("sequential", "threads", "virtual");
        assertThat(result.workerCounts()).containsExactly(1, 2);
        assertThat(result.runs()).hasSize(10).allSatisfy(r -> assertThat(r.complete()).isTrue());

        assertThat(progress).extracting(SweepProgress::done).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(10));
        assertThat(progress.getFirst().line()).matches("\\[ 1/10] sequential x1 #1: \\d+\\.\\d{3} s");
    }

    @Test
    void aSweepWithoutOneWorkerGivesEachModelItsOwnWorkerCounts() {
        SweepResult result = Sweep.of("threads").workers(3, 2).repeats(1).numbers(SMALL).run();
        assertThat(result.workerCounts()).containsExactly(1, 2, 3);
        assertThat(result.workerCounts("threads")).containsExactly(2, 3);
        assertThat(result.workerCounts("sequential")).containsExactly(1);
        assertThat(result.workerCounts("virtual")).isEmpty();
        result.workerCounts("threads").forEach(w -> assertThat(result.speedup("threads", w)).isPositive());
    }

    @Test
    void withoutAWidgetPageItsProgressIsOneLineWhenItEnds() {
        try (Capture out = new Capture().installAsStdout()) {
            Sweep.of("threads").workers(1, 2).repeats(1).numbers(SMALL).showProgress().run();
            assertThat(out.text()).matches("sweep: 3/3 in \\d+\\.\\d s\\R");
        }
    }

    @Test
    void badSweepsGetAClearMessage() {
        assertThatThrownBy(() -> Sweep.of("threads", "fibers")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'fibers'");
        assertThatThrownBy(() -> Sweep.of("threads").workers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sweep.of("threads").repeats(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sweep.of("threads").numbers(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SweepResult("x", SMALL, List.of(), Table.create("empty")).medianSeconds("threads", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no runs of threads with 2 workers");
    }

    @Test
    void cPythonRunsTheSameAlgorithmWhenAPythonIsThere() {
        Optional<Path> python = CPython.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(python.isPresent(), "no python3 on the PATH");
        List<Long> tiny = List.of(2L, 142_702_110_479_723L, 4_444_444_444_444_444L);
        CPython.Comparison c = Sweep.of("threads", "processes", "virtual").workers(1, 2).repeats(1).numbers(tiny).runCPython();
        assertThat(c.skipped()).isEmpty();
        assertThat(c.version()).startsWith("Python 3");
        Table table = c.result().orElseThrow().toTable();
        assertThat(table.stringColumn("model").unique().asList())
                .containsExactlyInAnyOrder("sequential", "cpython-threads", "cpython-processes");
        assertThat(table.rowCount()).isEqualTo(5);
    }

    @Test
    void theLookupSeesThroughAShimThatExistsButFailsToRun(@TempDir Path dir) throws Exception {
        Path real = CPython.find().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(real != null, "no working python3 here");
        Path shims = Files.createDirectories(dir.resolve("shims"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String name : List.of("python3.13", "python3.12")) {
            script(shims.resolve(name), "echo \"pyenv: " + name + ": command not found\" >&2; exit 127");
        }
        script(bin.resolve("python3"), "exec '" + real.toRealPath() + "' \"$@\"");
        CPython.Lookup lookup = CPython.lookup(null, shims + ":" + bin, List.of(), Duration.ofSeconds(10));
        assertThat(lookup.found()).hasValueSatisfying(i -> {
            assertThat(i.path()).isEqualTo(bin.resolve("python3"));
            assertThat(i.version()).startsWith("3.");
        });
        assertThat(lookup.rejected()).containsExactly(
                shims.resolve("python3.13") + ": exit 127: pyenv: python3.13: command not found",
                shims.resolve("python3.12") + ": exit 127: pyenv: python3.12: command not found");
        assertThat(lookup.reason()).isEmpty();
    }

    @Test
    void withNoWorkingCandidateTheReasonNamesEachOneAndAHangIsCutShort(@TempDir Path dir) throws Exception {
        script(dir.resolve("python3.13"), "exit 127");
        script(dir.resolve("python3"), "exec sleep 60");
        long t0 = System.nanoTime();
        CPython.Lookup lookup = CPython.lookup(null, dir.toString(), List.of(), Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(lookup.found()).isEmpty();
        assertThat(lookup.reason()).startsWith("no working python3: ")
                .contains(dir.resolve("python3.13") + ": exit 127")
                .contains(dir.resolve("python3") + ": no answer within 0.5 s");
        assertThat(ProcessHandle.current().descendants()).noneMatch(p -> p.info().command().orElse("").endsWith("sleep"));
        CPython.Comparison c = CPython.sweep(lookup, List.of("threads"), List.of(1), 1, SMALL, p -> { }, () -> { });
        assertThat(c.skipped()).contains(lookup.reason());
        assertThat(CPython.lookup(null, dir.resolve("none").toString(), List.of(), Duration.ofSeconds(1)).reason())
                .isEqualTo("no python3 found on the PATH (or in JCN_PYTHON)");
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void withoutAPythonTheComparisonIsSkippedWithTheReason() {
        CPython.Comparison c = CPython.sweep(Optional.empty(), List.of("threads"), List.of(1), 1, SMALL, p -> { }, () -> { });
        assertThat(c.result()).isEmpty();
        assertThat(c.skipped()).contains("no python3 found on the PATH (or in JCN_PYTHON)");
        CPython.Comparison broken = CPython.sweep(Optional.of(Path.of("/bin/false")), List.of("threads"), List.of(1), 1,
                SMALL, p -> { }, () -> { });
        assertThat(broken.skipped()).hasValueSatisfying(reason -> assertThat(reason).contains("/bin/false did not run: exit 1"));
        CPython.Comparison missing = Sweep.of("threads").workers(1).repeats(1).numbers(SMALL)
                .runCPython(Path.of("/no/such/python3.13t"));
        assertThat(missing.skipped()).hasValueSatisfying(reason -> assertThat(reason).contains("/no/such/python3.13t"));
    }

    @Test
    void timingHelpersMeasure() {
        assertThat(Timing.median(List.of(3, 1, 2))).isEqualTo(2.0);
        assertThat(Timing.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThatThrownBy(() -> Timing.median(List.of())).isInstanceOf(IllegalArgumentException.class);
        var timed = Timing.timed(() -> Primes.isPrime(9_999_999_999_999_917L));
        assertThat(timed.value()).isTrue();
        assertThat(timed.elapsed()).isPositive();
        assertThat(Timing.median(3, () -> Primes.isPrime(142_702_110_479_723L))).isPositive();
        assertThat(StartCosts.platformThread(50)).isPositive().isLessThan(Duration.ofSeconds(1));
        assertThat(StartCosts.virtualThread(50)).isPositive().isLessThan(Duration.ofSeconds(1));
        assertThat(StartCosts.childJvm(1, false)).isPositive().isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theParallelismProbeTimesThreadsInAChildJvmLimitedToSomeCpus() {
        // Only that it runs and reports: the ratio itself is a timing claim, measured by the benchmark
        // (a loaded shared machine makes any bound here flaky).
        assertThat(ParallelismProbe.inChildJvm(2, 1)).isPositive().isLessThan(60);
        assertThatThrownBy(() -> ParallelismProbe.inChildJvm(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theParallelismProbeTimesOnlyAfterItsChildIsFullyStartedAndWorksLongEnough() {
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (var child = ChildJvm.of(ParallelismProbe.class).args("1").onOutputLine(lines::add).start()) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).isTrue();
            assertThat(child.exitCode()).isZero();
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("ready divisions-per-thread=");
        assertThat(lines.get(1)).startsWith("seconds=");
        // About 0.4 s at the fixture's 1.77 ns per division: long enough to time two threads robustly.
        long divisions = Long.parseLong(lines.get(0).substring("ready divisions-per-thread=".length()));
        assertThat(divisions).isGreaterThanOrEqualTo(200_000_000L);
    }
}
