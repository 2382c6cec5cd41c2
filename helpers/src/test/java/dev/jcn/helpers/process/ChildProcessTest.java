package dev.jcn.helpers.process;

import dev.jcn.helpers.testing.Capture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aChildJvmRunsWithOurJavaAndClassPathAndItsOutputIsRelayedLive() throws Exception {
        try (var out = new Capture().installAsStdout(); var child = ChildJvm.start(Sleeper.class, "0", "3")) {
            assertThat(child.waitFor(WAIT)).isTrue();
            assertThat(child.exitCode()).isEqualTo(3);
            assertThat(child.output()).contains("[child] pid " + child.pid() + ", ppid " + ProcessHandle.current().pid());
            assertThat(out.text()).contains("[child] pid " + child.pid()).contains("[child] done\n");
            assertThat(child.command().getFirst()).isEqualTo(ChildJvm.javaBinary());
            assertThat(child.command()).contains(ChildJvm.classPath());
            assertThat(child.firstOutputAfter()).isPresent();
        }
    }

    @Test
    void onlyTheStartUpTimerRunsC1AloneAndCpuBoundChildrenKeepBothCompilers() {
        List<String> hello = ChildJvm.of(dev.jcn.helpers.timing.Hello.class).command();
        assertThat(hello).containsAll(ChildJvm.FAST_START_OPTIONS).containsAll(ChildJvm.PRINT_AND_EXIT_OPTIONS);
        assertThat(hello.get(hello.indexOf("-cp") + 1)).isEqualTo(ChildJvm.helpersClassPath());
        List<String> worker = ChildJvm.of(dev.jcn.helpers.pool.PoolWorkerMain.class).command();
        assertThat(worker).containsAll(ChildJvm.FAST_START_OPTIONS).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        List<String> sleeper = ChildJvm.of(Sleeper.class).command();
        assertThat(sleeper).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(sleeper.get(sleeper.indexOf("-cp") + 1)).isEqualTo(ChildJvm.classPath());
        assertThat(ChildJvm.of(dev.jcn.helpers.timing.Hello.class).fastStart(false).command())
                .doesNotContainAnyElementsOf(ChildJvm.PRINT_AND_EXIT_OPTIONS);
        // Run from a folder of classes (as here), the helpers have no jar of their own to start on.
        if (ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith("/")) {
            assertThat(ChildJvm.helpersClassPath()).isEqualTo(ChildJvm.classPath());
        }
    }

    @Test
    void jvmOptionsReachTheChild() {
        try (var child = ChildJvm.of(PrintsProcessors.class).jvmOptions("-XX:ActiveProcessorCount=1").start()) {
            assertThat(child.waitFor(WAIT)).isTrue();
            assertThat(child.output()).containsExactly("processors 1");
        }
    }

    @Test
    void cpusLimitsWhatTheChildSees() {
        try (var child = ChildJvm.of(PrintsProcessors.class).cpus(1).start()) {
            assertThat(child.waitFor(WAIT)).isTrue();
            assertThat(child.output()).containsExactly("processors 1");
            if (ChildJvm.canPinCpus()) {
                assertThat(child.command().getFirst()).endsWith("taskset");
            }
        }
    }

    @Test
    void waitingTimesOutOnARunningChildAndKillEndsIt() {
        try (var child = ChildJvm.start(Sleeper.class, "120")) {
            assertThat(child.awaitLine(l -> l.startsWith("[child] sleeping"), WAIT)).isPresent();
            assertThat(child.waitFor(Duration.ofMillis(50))).isFalse();
            assertThatThrownBy(child::exitCode).isInstanceOf(IllegalStateException.class);
            child.kill();
            assertThat(child.waitFor(WAIT)).isTrue();
            assertThat(child.exitCode()).isEqualTo(137);
        }
    }

    @Test
    void closingTheHandleKillsTheChildAndItsDescendants() throws Exception {
        ProcessHandle grandchild;
        ProcessHandle child;
        try (var c = ChildJvm.of(SpawnsGrandchild.class).start()) {
            child = c.handle();
            grandchild = grandchildOf(c);
            assertThat(ProcessTree.current().pids()).contains(child.pid(), grandchild.pid());
        }
        assertThat(child.isAlive()).isFalse();
        grandchild.onExit().get(10, TimeUnit.SECONDS);
        assertThat(grandchild.isAlive()).isFalse();
    }

    @Test
    void aChildJvmDiesWithItsParentEvenWhenTheParentIsKilled() throws Exception {
        try (var c = ChildJvm.of(SpawnsGrandchild.class).start()) {
            ProcessHandle grandchild = grandchildOf(c);
            // Kill only the middle process: nobody closes the grandchild's handle, it must notice alone.
            c.handle().destroyForcibly();
            grandchild.onExit().get(15, TimeUnit.SECONDS);
            assertThat(grandchild.isAlive()).isFalse();
        }
    }

    private static ProcessHandle grandchildOf(ChildProcess c) {
        Optional<String> line = c.awaitLine(l -> l.startsWith("grandchild "), WAIT);
        assertThat(line).as("the child reported its grandchild").isPresent();
        long pid = Long.parseLong(line.get().substring("grandchild ".length()).strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    @Test
    void anyProgramCanBeStartedAndItsLinesHandled() {
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (var p = ChildProcess.start(List.of("sh", "-c", "echo one; echo two >&2; printf 'three'"), lines::add)) {
            assertThat(p.waitFor(WAIT)).isTrue();
            assertThat(p.exitCode()).isZero();
        }
        assertThat(lines).containsExactly("one", "three");
    }

    @Test
    void inputSentToTheChildArrives() {
        try (var p = ChildProcess.start("sh", "-c", "read line; echo got $line")) {
            p.send("hello");
            assertThat(p.awaitLine(l -> l.equals("got hello"), WAIT)).isPresent();
        }
    }

    @Test
    void aProcessTreeListsPidParentAndCommandLikePs() {
        try (var child = ChildJvm.start(Sleeper.class, "120")) {
            child.awaitLine(l -> l.startsWith("[child] sleeping"), WAIT);
            ProcessTree tree = ProcessTree.current();
            assertThat(tree.entries().getFirst().pid()).isEqualTo(ProcessHandle.current().pid());
            ProcessTree.Entry entry = tree.entries().stream().filter(e -> e.pid() == child.pid()).findFirst().orElseThrow();
            assertThat(entry.ppid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(entry.depth()).isEqualTo(1);
            assertThat(entry.command()).contains("java").contains("Sleeper");
            assertThat(tree.toString()).startsWith(String.format("%8s %8s %9s  %s", "PID", "PPID", "CPU", "COMMAND"))
                    .contains(Long.toString(child.pid()));
        }
    }

    @Test
    void badInputGetsAClearMessage() {
        assertThatThrownBy(() -> ChildProcess.start("/no/such/program")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot start /no/such/program");
        assertThatThrownBy(() -> ChildProcess.start(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChildJvm.of(Sleeper.class).jvmOptions("Xmx1g")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with '-'");
        assertThatThrownBy(() -> ChildJvm.of(Sleeper.class).cpus(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownMainClassEndsTheChildWithAMessage() {
        var err = new Capture();
        var previous = System.err;
        System.setErr(err);
        try (var child = ChildJvm.of("no.such.Main").start()) {
            assertThat(child.waitFor(WAIT)).isTrue();
            assertThat(child.exitCode()).isEqualTo(2);
        } finally {
            System.setErr(previous);
        }
        assertThat(err.text()).contains("no class no.such.Main");
    }

    @Test
    void awaitLineReturnsOnlyOnceTheLineHasBeenPrinted() {
        CountDownLatch returned = new CountDownLatch(1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // A console slow to take the text: each write waits (at most a second) until awaitLine has returned.
        OutputStream slowConsole = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    returned.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (printed) {
                    printed.write(b, off, len);
                }
            }
        };
        PrintStream console = System.out;
        System.setOut(new PrintStream(slowConsole, true, StandardCharsets.UTF_8));
        try (var child = ChildProcess.start("sh", "-c", "echo ready")) {
            Optional<String> line = child.awaitLine("ready"::equals, Duration.ofSeconds(10));
            String printedWhenReturned;
            synchronized (printed) {
                printedWhenReturned = printed.toString(StandardCharsets.UTF_8);
            }
            returned.countDown();
            assertThat(line).contains("ready");
            assertThat(printedWhenReturned).isEqualTo("ready\n");
        } finally {
            System.setOut(console);
        }
    }

    @Test
    void waitForReturnsWhenTheChildEndsEvenIfABackgroundedGrandchildHoldsItsOutput() {
        try (var child = ChildProcess.start("sh", "-c", "(sleep 60; echo late) & echo grandchild $!; read line || true")) {
            String line = child.awaitLine(l -> l.startsWith("grandchild "), Duration.ofSeconds(20)).orElseThrow();
            long grandchild = Long.parseLong(line.substring("grandchild ".length()));
            try {
                // The relays are now idle, blocked reading the pipes, when the child ends.
                child.closeInput();
                long start = System.nanoTime();
                assertThat(child.waitFor(Duration.ofSeconds(20))).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
                assertThat(child.exitCode()).isZero();
                assertThat(ProcessHandle.of(grandchild)).get().matches(ProcessHandle::isAlive, "still running");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
        }
    }
}
