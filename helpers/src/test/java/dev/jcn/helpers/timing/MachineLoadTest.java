package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;

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
