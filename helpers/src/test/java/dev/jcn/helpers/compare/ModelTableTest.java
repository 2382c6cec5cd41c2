package dev.jcn.helpers.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTableTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void threadsShareTheCallersProcessAndDieWithItWhileWorkerProcessesDoNot() {
        ModelRow threads = ModelExperiments.measure("threads", 2);
        assertThat(threads.isolation()).startsWith("none: every worker ran in the caller's process");
        assertThat(threads.workerDeath()).startsWith("the whole program ended at once, exit code 3");
        assertThat(threads.memoryBytes()).isPositive();
        assertThat(threads.ioInFlight()).isBetween(1.0, 2.2);

        ModelRow processes = ModelExperiments.measure("processes", 2);
        assertThat(processes.isolation()).startsWith("each worker is a process of its own (2 pids");
        assertThat(processes.workerDeath()).startsWith("only that worker ended")
                .contains("20 of 20 answered, exit code 0");
        assertThat(processes.memoryBytes()).isGreaterThan(threads.memoryBytes() * 10);
        assertThat(processes.startCost()).isGreaterThan(threads.startCost());
    }

    @Test
    void aTableHasOneRowPerModelAndShowsEveryCell() {
        var row = new ModelRow("cluster", "2 members", Duration.ofMillis(200), 1.5, 2.0, 50L << 20,
                "each member is a JVM of its own", "its tasks ran again on the other member");
        ModelTable table = new ModelTable().add(row);
        assertThat(table.markdown()).contains("| **cluster** (2 members) | 200 ms | 1.50× | 2.0 | 50.0 MB | "
                + "each member is a JVM of its own | its tasks ran again on the other member |");
        assertThat(row.line()).startsWith("model=cluster start_us=200000.0 cpu_speedup=1.50 io_in_flight=2.0 "
                + "memory_kb=51200.0 isolation=each_member_is_a_JVM_of_its_own death=its_tasks_ran");
        assertThatThrownBy(() -> table.add(row)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a row for cluster");
        assertThatThrownBy(() -> new ModelRow("x", "", Duration.ZERO, 0, 1, 0, "", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelExperiments.measure("fibers", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'fibers'");
    }
}
