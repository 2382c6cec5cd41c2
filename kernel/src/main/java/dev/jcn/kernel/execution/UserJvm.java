package dev.jcn.kernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.kernel.agent.AgentMain;
import dev.jcn.kernel.agent.FrameChannel;
import dev.jcn.kernel.agent.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the user JVM: the process, its socket, and the requests waiting for replies. When it
 * dies, {@link #death()} completes with a sentence saying why, and every pending request fails.
 *
 * <pre>{@code
 * UserJvm jvm = UserJvm.launch(events, () -> lastCell, List.of());
 * jvm.ready().get(30, SECONDS);
 * JsonObject reply = jvm.request(request).get();
 * jvm.close();
 * }</pre>
 */
final class UserJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserJvm.class);
    private static final int TAIL_CHARS = 4096;

    private final InterpreterEvents events;
    private final IntSupplier lastCell;
    private final Path socketDir;
    private final ServerSocketChannel server;
    private final Process process;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> death = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder outputTail = new StringBuilder();
    private volatile FrameChannel channel;
    private volatile JsonObject exitEvent;
    private volatile boolean closing;
    private volatile List<ProcessHandle> lastDescendants = List.of();
    private final long startedNanos = System.nanoTime();

    private UserJvm(InterpreterEvents events, IntSupplier lastCell, List<String> options) throws IOException {
        this.events = events;
        this.lastCell = lastCell;
        this.socketDir = Files.createTempDirectory("jcn-kernel-");
        Path socket = socketDir.resolve("agent.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmOptions = jvmOptions(options);
        command.addAll(jvmOptions);
        command.addAll(AotCache.options(jvmOptions, System.getProperty("java.class.path")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentMain.class.getName());
        command.add(socket.toString());
        LOG.debug("starting user JVM: {}", command);
        this.process = new ProcessBuilder(command).start();
        Thread.ofPlatform().daemon().name("user-jvm-" + process.pid() + "-reader").start(this::readLoop);
        Thread.ofPlatform().daemon().name("user-jvm-" + process.pid() + "-stdout").start(() -> relay(process.getInputStream(), "stdout"));
        Thread.ofPlatform().daemon().name("user-jvm-" + process.pid() + "-stderr").start(() -> relay(process.getErrorStream(), "stderr"));
        process.onExit().thenRun(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // only unblocks accept
            }
        });
    }

    /** Starts a user JVM; returns at once, {@link #ready()} completes when cells can run. */
    static UserJvm launch(InterpreterEvents events, IntSupplier lastCell, List<String> options) throws IOException {
        return new UserJvm(events, lastCell, options);
    }

    /** The default options followed by {@code extra}. */
    static List<String> jvmOptions(List<String> extra) {
        List<String> all = new ArrayList<>(defaultOptions());
        all.addAll(extra);
        return all;
    }

    /** The JVM options every user JVM gets; the heap is bounded so that runaway allocation ends it. */
    static List<String> defaultOptions() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long heapMb = Math.max(256, Math.min(2048, physical / 4 / (1 << 20)));
        return List.of(
                "--enable-preview",
                "-Djava.awt.headless=true",
                "--sun-misc-unsafe-memory-access=allow",
                "-Xmx" + heapMb + "m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.trackAllThreads=true",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "-Dstdout.encoding=UTF-8",
                "-Dstderr.encoding=UTF-8");
    }

    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Completes with why the JVM ended. */
    CompletableFuture<String> death() {
        return death;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive() && !death.isDone();
    }

    /** Sends a request ({@code op} plus fields); the future fails if the JVM dies first. */
    CompletableFuture<JsonObject> request(JsonObject request) {
        long id = ids.incrementAndGet();
        request.addProperty("id", id);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        FrameChannel ch = channel;
        try {
            if (ch == null || death.isDone()) {
                throw new IOException("the user JVM is not running");
            }
            ch.send(request);
        } catch (IOException e) {
            pending.remove(id);
            reply.completeExceptionally(e);
        }
        return reply;
    }

    private void readLoop() {
        try {
            SocketChannel socket = server.accept();
            channel = new FrameChannel(socket);
            JsonObject message;
            while ((message = channel.receive()) != null) {
                dispatch(message);
            }
        } catch (IOException | RuntimeException e) {
            if (!closing && process.isAlive()) {
                LOG.warn("user JVM connection failed", e);
            }
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                killTree();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String why = describeExit();
        LOG.info("user JVM {} ended: {}", process.pid(), why);
        IOException gone = new IOException(why);
        ready.completeExceptionally(gone);
        death.complete(why);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        killOrphans();
        cleanUp();
    }

    private void dispatch(JsonObject m) {
        if (m.has("re")) {
            CompletableFuture<JsonObject> f = pending.remove(m.get("re").getAsLong());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        switch (m.get("ev").getAsString()) {
            case "ready" -> {
                LOG.info("user JVM {} ready in {} ms", process.pid(), (System.nanoTime() - startedNanos) / 1_000_000);
                ready.complete(null);
            }
            case "out" -> {
                for (JsonElement e : m.getAsJsonArray("items")) {
                    JsonObject item = e.getAsJsonObject();
                    events.stream(item.get("cell").getAsInt(), item.get("thread").getAsString(),
                            item.get("name").getAsString(), item.get("text").getAsString());
                }
            }
            case "display" -> events.display(m.get("cell").getAsInt(),
                    bundle(m.getAsJsonObject("bundle")), m.get("id").getAsString(), m.get("update").getAsBoolean());
            case "clear" -> events.clearOutput(m.get("cell").getAsInt(), m.get("wait").getAsBoolean());
            case "exit" -> exitEvent = m;
            default -> LOG.debug("ignored event {}", m);
        }
    }

    /** Output written to the JVM's own stdout/stderr: child processes that inherited them, JVM warnings. */
    private void relay(InputStream in, String name) {
        byte[] buffer = new byte[8192];
        byte[] carry = new byte[0];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                byte[] bytes = new byte[carry.length + n];
                System.arraycopy(carry, 0, bytes, 0, carry.length);
                System.arraycopy(buffer, 0, bytes, carry.length, n);
                int complete = Utf8.completeLength(bytes);
                carry = java.util.Arrays.copyOfRange(bytes, complete, bytes.length);
                String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
                synchronized (outputTail) {
                    outputTail.append(text);
                    if (outputTail.length() > TAIL_CHARS) {
                        outputTail.delete(0, outputTail.length() - TAIL_CHARS);
                    }
                }
                if (!text.isEmpty()) {
                    events.stream(lastCell.getAsInt(), "process output", name, text);
                }
            }
        } catch (IOException e) {
            // the JVM ended
        }
    }

    private String describeExit() {
        if (closing) {
            return "the user JVM was shut down";
        }
        int status = process.exitValue();
        JsonObject exit = exitEvent;
        String tail;
        synchronized (outputTail) {
            tail = outputTail.toString();
        }
        if (exit != null) {
            int cell = exit.get("cell").getAsInt();
            return "System.exit(" + exit.get("status").getAsInt() + ") was called"
                    + (cell != 0 ? " by code of cell " + cell : "")
                    + " in thread \"" + exit.get("thread").getAsString() + "\"";
        }
        int oom = tail.lastIndexOf("java.lang.OutOfMemoryError");
        if (oom >= 0) {
            String what = tail.substring(oom).lines().findFirst().orElse("java.lang.OutOfMemoryError");
            return "the user JVM ran out of memory (" + what + ")";
        }
        if (status > 128) {
            int signal = status - 128;
            return "the user JVM was killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
        }
        return "the user JVM ended with status " + status + " (Runtime.halt, a crash, or a native exit)";
    }

    /** Refreshes the list of the JVM's descendants, so that they can be killed after it dies. */
    void rememberDescendants() {
        if (process.isAlive()) {
            lastDescendants = process.descendants().toList();
        }
    }

    private void killOrphans() {
        for (ProcessHandle p : lastDescendants) {
            if (p.isAlive()) {
                LOG.info("killing orphan {} of the dead user JVM", p.pid());
                p.destroyForcibly();
            }
        }
    }

    private void killTree() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills the JVM now (and its descendants); {@link #death()} then completes. */
    void kill() {
        killTree();
    }

    /** Asks the agent to end (it kills its children), then makes sure; never throws. */
    @Override
    public void close() {
        closing = true;
        rememberDescendants();
        if (process.isAlive()) {
            JsonObject bye = new JsonObject();
            bye.addProperty("op", "shutdown");
            request(bye);
            try {
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killTree();
        }
        try {
            process.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("user JVM {} did not end", process.pid());
        }
        killOrphans();
        FrameChannel ch = channel;
        if (ch != null) {
            ch.close();
        }
        cleanUp();
    }

    private void cleanUp() {
        try {
            server.close();
            Files.deleteIfExists(socketDir.resolve("agent.sock"));
            Files.deleteIfExists(socketDir);
        } catch (IOException e) {
            LOG.debug("could not remove {}", socketDir, e);
        }
    }

    /** A bundle sent by the agent as {@code {"data":..., "metadata":...}}. */
    @SuppressWarnings("unchecked")
    static MimeBundle bundle(JsonObject o) {
        com.google.gson.Gson gson = new com.google.gson.Gson();
        return new MimeBundle(gson.fromJson(o.get("data"), java.util.Map.class), gson.fromJson(o.get("metadata"), java.util.Map.class));
    }

    /** A JSON array of the strings in {@code entries}. */
    static JsonArray strings(List<String> entries) {
        JsonArray a = new JsonArray();
        entries.forEach(a::add);
        return a;
    }

    @Override
    public String toString() {
        return "user JVM " + process.pid();
    }
}
