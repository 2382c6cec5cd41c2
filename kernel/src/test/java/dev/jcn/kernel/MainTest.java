package dev.jcn.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.jcn.kernel.install.KernelSpecInstaller;
import dev.jcn.kernel.protocol.ConnectionInfo;
import dev.jcn.kernel.protocol.Message;
import dev.jcn.kernel.testing.FakeKernel;
import dev.jcn.kernel.testing.KernelClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel process as Jupyter starts it: a connection file in, logs to a file, a clean exit. */
class MainTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The kernel on the fake interpreter, as {@link Main} serves it. */
    private static ProcessBuilder kernel(Path dir, String... args) {
        return java(dir, FakeKernel.class, args);
    }

    private static ProcessBuilder java(Path dir, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-preview",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("JCN_KERNEL_LOG", dir.resolve("logs/kernel.log").toString());
        return pb;
    }

    @Test
    void servesACellThenExitsCleanlyOnShutdownWritingOnlyToItsLog(@TempDir Path dir) throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("main-test-key");
        Path file = Files.writeString(dir.resolve("kernel-1.json"), info.toJson());
        Process process = kernel(dir, file.toString()).start();
        try (KernelClient client = new KernelClient(info)) {
            client.awaitIopub(WAIT);
            JsonObject execute = new JsonObject();
            execute.addProperty("code", "out printed by a cell\nerr and on stderr");
            String id = client.shell("execute_request", execute);
            assertThat(client.shellReply(WAIT).content().get("status").getAsString()).isEqualTo("ok");
            client.iopubUntilIdle(id, WAIT);

            client.control("shutdown_request", new JsonObject());
            Message reply = client.controlReply(WAIT);
            assertThat(reply.type()).isEqualTo("shutdown_reply");
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).isZero();
        assertThat(dir.resolve("stdout.txt")).isEmptyFile();
        assertThat(dir.resolve("stderr.txt")).isEmptyFile();
        assertThat(Files.readString(dir.resolve("logs/kernel.log"))).contains("kernel listening on", "kernel closed");
    }

    @Test
    void badArgumentsGetOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        Process missing = kernel(dir, dir.resolve("nope.json").toString()).start();
        assertThat(missing.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(2);
        List<String> err = Files.readAllLines(dir.resolve("stderr.txt"));
        assertThat(err).singleElement().asString().startsWith("jcn-kernel: cannot read connection file");

        Process none = kernel(dir).start();
        assertThat(none.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(none.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("stderr.txt"))).startsWith("usage: Main CONNECTION_FILE");
    }

    @Test
    void aTakenPortIsAOneLineErrorAndExitCode1(@TempDir Path dir) throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("k");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(info.shellPort(), 1,
                java.net.InetAddress.getByName(info.ip()))) {
            Path file = Files.writeString(dir.resolve("kernel-2.json"), info.toJson());
            Process process = kernel(dir, file.toString()).start();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
        }
        assertThat(Files.readAllLines(dir.resolve("stderr.txt"))).singleElement().asString()
                .startsWith("jcn-kernel: cannot bind tcp://127.0.0.1:");
    }

    @Test
    void installWritesTheKernelspec(@TempDir Path dir) throws Exception {
        // the start-up cache takes longer than this test waits; KernelSpecInstallerTest covers the option
        Process install = java(dir, Main.class, "install", "--prefix", dir.toString(), KernelSpecInstaller.NO_STARTUP_CACHE).start();
        assertThat(install.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(install.exitValue()).isZero();
        assertThat(dir.resolve("share/jupyter/kernels/java-concurrency/kernel.json")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("stdout.txt"))).startsWith("Installed kernelspec java-concurrency in");
    }

    @Test
    void withoutJcnKernelLogEachKernelLogsToAFileOfItsOwnAndOldLogsGo(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("home/.local/share/jcn-kernel"));
        Path old = Files.writeString(logs.resolve("kernel-old.log"), "a kernel of last month\n");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofDays(30))));
        Path recent = Files.writeString(logs.resolve("kernel-recent.log"), "a kernel of yesterday\n");
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("log-test-key");
        Path file = Files.writeString(dir.resolve("kernel-abc-123.json"), info.toJson());
        ProcessBuilder pb = kernel(dir, file.toString());
        pb.environment().remove("JCN_KERNEL_LOG");
        pb.command().add(1, "-Duser.home=" + dir.resolve("home"));
        Process process = pb.start();
        try (KernelClient client = new KernelClient(info)) {
            client.awaitIopub(WAIT);
            client.control("shutdown_request", new JsonObject());
            assertThat(client.controlReply(WAIT).type()).isEqualTo("shutdown_reply");
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(Files.readString(logs.resolve("kernel-abc-123.log"))).contains("kernel listening on", "kernel closed");
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(dir.resolve("stderr.txt")).isEmptyFile();
    }

    @Test
    void eachJupyterConnectionFileGetsALogOfItsOwnAndOtherNamesShareOne() {
        assertThat(Main.logName(Path.of("/run/jupyter/kernel-0b1c2d3e-aa.json"))).isEqualTo("kernel-0b1c2d3e-aa.log");
        assertThat(Main.logName(Path.of("kernel-7.json"))).isEqualTo("kernel-7.log");
        assertThat(Main.logName(Path.of("/tmp/connection.json"))).isEqualTo("kernel.log");
        assertThat(Main.logName(Path.of("/tmp/kernel-a b.json"))).isEqualTo("kernel.log");
    }
}
