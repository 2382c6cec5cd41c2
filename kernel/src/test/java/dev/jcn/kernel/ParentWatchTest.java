package dev.jcn.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.jcn.kernel.protocol.ConnectionInfo;
import dev.jcn.kernel.testing.KernelClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A kernel whose client dies without a shutdown request ends, and takes its user JVM along. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<String> kernelCommand(Path connectionFile) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-preview",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), connectionFile.toString());
    }

    private static Path connectionFile(Path dir, ConnectionInfo info) throws Exception {
        return Files.writeString(dir.resolve("kernel.json"), info.toJson());
    }

    /** Runs a cell, so that the kernel has started its user JVM; returns the processes below {@code ancestor}. */
    private static List<ProcessHandle> runACell(ConnectionInfo info, ProcessHandle ancestor, int atLeast) throws Exception {
        try (KernelClient client = new KernelClient(info)) {
            client.awaitIopub(WAIT);
            JsonObject execute = new JsonObject();
            execute.addProperty("code", "ProcessHandle.current().pid()");
            client.shell("execute_request", execute);
            assertThat(client.shellReply(WAIT).content().get("status").getAsString()).isEqualTo("ok");
        }
        List<ProcessHandle> tree = ancestor.descendants().toList();
        assertThat(tree).as("processes below %d", ancestor.pid()).hasSizeGreaterThanOrEqualTo(atLeast);
        return tree;
    }

    private static void assertAllEnd(List<ProcessHandle> tree) throws Exception {
        List<String> alive = new ArrayList<>();
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                alive.add(p.pid() + " " + p.info().commandLine().orElse("?"));
                p.destroyForcibly();
            }
        }
        assertThat(alive).as("processes left running").isEmpty();
    }

    private static ProcessBuilder quiet(ProcessBuilder pb, Path dir) {
        pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        Map<String, String> env = pb.environment();
        env.remove("JPY_PARENT_PID");
        env.put("JCN_KERNEL_LOG", dir.resolve("kernel.log").toString());
        return pb;
    }

    @Test
    void theKernelEndsWhenTheProcessThatStartedItIsKilled(@TempDir Path dir) throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("parent-watch");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\" & wait", "sh"));
        command.addAll(kernelCommand(connectionFile(dir, info)));
        Process parent = quiet(new ProcessBuilder(command), dir).start();
        List<ProcessHandle> tree = List.of();
        try {
            tree = runACell(info, parent.toHandle(), 2); // the kernel and its user JVM
            parent.destroyForcibly();
            assertThat(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertAllEnd(tree);
        } finally {
            parent.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.readString(dir.resolve("kernel.log"))).contains("is gone: shutting down");
    }

    @Test
    void theProcessNamedByJpyParentPidIsWatched(@TempDir Path dir) throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("parent-watch-env");
        Process client = new ProcessBuilder("sleep", "600").start();
        ProcessBuilder pb = quiet(new ProcessBuilder(kernelCommand(connectionFile(dir, info))), dir);
        pb.environment().put("JPY_PARENT_PID", Long.toString(client.pid()));
        Process kernel = pb.start();
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            tree.add(kernel.toHandle());
            tree.addAll(runACell(info, kernel.toHandle(), 1)); // its user JVM
            client.destroyForcibly();
            assertThat(kernel.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the kernel ended").isTrue();
            assertAllEnd(tree);
        } finally {
            client.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aJpyParentPidThatIsNotAliveFallsBackToTheRealParent() {
        assertThat(ParentWatch.parentToWatch(Map.of("JPY_PARENT_PID", "999999999")))
                .map(ProcessHandle::pid).isEqualTo(ProcessHandle.current().parent().map(ProcessHandle::pid));
        assertThat(ParentWatch.parentToWatch(Map.of("JPY_PARENT_PID", "not a pid")))
                .map(ProcessHandle::pid).isEqualTo(ProcessHandle.current().parent().map(ProcessHandle::pid));
        assertThat(ParentWatch.parentToWatch(Map.of("JPY_PARENT_PID", Long.toString(ProcessHandle.current().pid()))))
                .map(ProcessHandle::pid).contains(ProcessHandle.current().pid());
    }
}
