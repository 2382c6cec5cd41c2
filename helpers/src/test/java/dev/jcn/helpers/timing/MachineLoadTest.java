package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MachineLoadTest {

    @Test
    void theLineNamesWhatOtherProgramsUsedAndLeftFree() {
        MachineLoad load = new MachineLoad(0.12, 2, 0.8, Duration.ofSeconds(1));
        assertThat(load.freeCores()).isCloseTo(1.88, within(1e-9));
        assertThat(load.line()).isEqualTo("machine others_cores=0.12 free_cores=1.88 cores=2 load_average=0.8");
        assertThat(new MachineLoad(2.0, 2, 9.0, Duration.ofSeconds(1)).freeCores()).isZero();
    }

    @Test
    void theBusyTimeIsReadFromTheFirstLineOfProcStat() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(MachineLoad.parseBusyTicks("cpu  100 5 20 9000 70 1 2 3 40 0")).contains(131L);
        assertThat(MachineLoad.parseBusyTicks("cpu0 100 5 20 9000 70 1 2 3 40 0")).isEmpty();
        assertThat(MachineLoad.parseBusyTicks("cpu  a b c")).isEmpty();
    }

    @Test
    void otherWorkIsTheMachinesBusyTimeLessThisFamilysCpuTime() {
        // 150 ticks of 10 ms over one second, of which this JVM's family used half a second: one core's worth.
        assertThat(MachineLoad.othersCores(150, 500_000_000L, 1_000_000_000L)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aBusyChildOfThisJvmCountsAsFamilyNotAsOtherWork() throws InterruptedException {
        try (ChildProcess spinner = ChildJvm.of(Spin.class).onOutputLine(line -> { }).start()) {
            assertThat(spinner.awaitLine("spinning"::equals, Duration.ofSeconds(30))).isPresent();
            long family0 = MachineLoad.familyCpuNanos();
            long child0 = cpuNanos(spinner.handle());
            Thread.sleep(300);
            long child = cpuNanos(spinner.handle()) - child0;
            long family = MachineLoad.familyCpuNanos() - family0;
            assertThat(child).as("the child spun").isPositive();
            assertThat(family).as("the family's CPU time includes the child's").isGreaterThanOrEqualTo(child);
            assertThat(MachineLoad.systemBusyTicks()).isPresent();
        }
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow().toNanos();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aWatchSeesAProgramOutsideThisFamilyThatIsBusyDuringTheSpan() throws Exception {
        ProcessHandle spinner = startOrphanSpinner();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (cpuNanos(spinner) < 200_000_000L && System.nanoTime() < deadline) {
                assertThat(spinner.isAlive()).as("the spinner runs").isTrue();
                Thread.sleep(50);
            }
            MachineLoad.Watch watch = MachineLoad.watch();
            long s0 = cpuNanos(spinner);
            long t0 = System.nanoTime();
            Thread.sleep(1000);
            double spinnerCores = (cpuNanos(spinner) - s0) / (double) (System.nanoTime() - t0);
            MachineLoad during = watch.stop();
            assertThat(spinnerCores).as("the other program spun").isGreaterThan(0.2);
            assertThat(during.othersCores()).as("what others used includes the spinner's %.2f cores", spinnerCores)
                    .isGreaterThanOrEqualTo(spinnerCores - 0.1);
            assertThat(watch.stop()).as("a second stop gives the same answer").isSameAs(during);
        } finally {
            spinner.destroyForcibly();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aWatchLeavesOutThisJvmsOwnWorkDuringTheSpan() throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long busy0 = MachineLoad.systemBusyTicks().orElseThrow();
        MachineLoad.Watch watch = MachineLoad.watch();
        long own0 = os.getProcessCpuTime();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            spinners.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                while (!stop.get()) {
                    n++;
                }
            }));
        }
        Thread.sleep(1000);
        stop.set(true);
        for (Thread t : spinners) {
            t.join();
        }
        long own = os.getProcessCpuTime() - own0;
        MachineLoad during = watch.stop();
        long busy = MachineLoad.systemBusyTicks().orElseThrow() - busy0;
        double window = during.window().toNanos();
        double busyCores = busy * 1e7 / window;
        double ownCores = own / window;
        assertThat(ownCores).as("this JVM worked").isGreaterThan(0.2);
        // The machine's busy time bracketed around the watch, less this JVM's alone: what others can have used at most.
        assertThat(during.othersCores()).as("busy %.2f cores, this JVM %.2f", busyCores, ownCores)
                .isLessThanOrEqualTo(busyCores - ownCores + 0.1);
    }

    @Test
    void spansReturnTheTimedResultAndWatchAFailedSpanToo() throws Exception {
        MachineLoad.Spans spans = MachineLoad.spans();
        assertThatThrownBy(spans::busiest).isInstanceOf(IllegalStateException.class);
        assertThat(spans.watch(() -> 42)).isEqualTo(42);
        assertThatThrownBy(() -> spans.watch(() -> {
            throw new IOException("failed");
        })).isInstanceOf(IOException.class);
        assertThat(spans.all()).as("a span that failed is watched too").hasSize(2);
        assertThat(spans.line()).startsWith("machine-during spans=2 others_cores=");
    }

    @Test
    void theSpansLineNamesTheBusiestSpan() {
        MachineLoad.Spans spans = MachineLoad.spans();
        spans.add(new MachineLoad(0.05, 2, 1.5, Duration.ofMillis(300)));
        spans.add(new MachineLoad(1.02, 2, 1.5, Duration.ofMillis(452)));
        spans.add(new MachineLoad(0.30, 2, 1.5, Duration.ofMillis(800)));
        assertThat(spans.busiest().othersCores()).isEqualTo(1.02);
        assertThat(spans.line()).isEqualTo(
                "machine-during spans=3 others_cores=1.02 free_cores=0.98 cores=2 load_average=1.5 window_s=0.452");
    }

    /** Starts Spin in a process whose parent ends at once, so that it belongs to no family of this JVM. */
    private static ProcessHandle startOrphanSpinner() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' '"
                + Spin.class.getName() + "' >/dev/null 2>&1 & echo $!";
        Process sh = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String pid;
        try (var out = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
            pid = out.readLine();
        }
        sh.waitFor();
        ProcessHandle spinner = ProcessHandle.of(Long.parseLong(pid.trim())).orElseThrow();
        assertThat(ProcessHandle.current().descendants()).as("the spinner is no descendant").doesNotContain(spinner);
        return spinner;
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> MachineLoad.sample(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    /** Spins on one core until its parent kills it. */
    public static final class Spin {
        public static void main(String[] args) {
            System.out.println("spinning");
            System.out.flush();
            long n = 0;
            while (n >= 0) {
                n++;
            }
        }
    }
}
