package dev.jcn.helpers.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OsThreadsTest {

    @Test
    void theJvmHasThreadsJavaCodeDoesNotSee() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        OsThreads threads = OsThreads.current();
        assertThat(threads.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(threads.names()).anyMatch(n -> n.startsWith("GC Thread") || n.startsWith("G1") || n.startsWith("VM Thread"))
                .anyMatch(n -> n.contains("CompilerThre"));
        long javaThreads = Thread.getAllStackTraces().size();
        assertThat(threads.threads().size()).isGreaterThan((int) javaThreads);
        assertThat(threads.toString()).startsWith(String.format("%8s %8s  %s", "TID", "CPU", "NAME"));
        assertThatThrownBy(() -> OsThreads.of(Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
    }
}
