package dev.jcn.kernel.execution;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.jcn.helpers.process.AotCache;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.kernel.debug.JdwpListener;
import dev.jcn.kernel.wire.AgentLaunch;
import dev.jcn.kernel.wire.Answer;
import dev.jcn.kernel.wire.Call;
import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import dev.jcn.kernel.wire.ToKernel;
import dev.jcn.kernel.wire.Utf8;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.kernel.wire.WireCodec;
import dev.jcn.kernel.wire.WireException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the user JVM: the process, its socket, and the requests waiting for replies. When it
 * dies, {@link #death()} completes with a sentence saying why, and every pending request fails.
 *
 * <pre>{@code
 * UserJvm jvm = UserJvm.launch(events, () -> lastCell, List.of(), false);
 * jvm.ready().get(30, SECONDS);
 * Reply.Threads threads = jvm.ask(new Request.ListThreads(), Reply.Threads.class, Duration.ofSeconds(2));
 * jvm.close();
 * }</pre>
 *
 * <p>The JVM runs the agent on the cells' class path: {@code cell/} next to the kernel's jar (or class
 * folder), which the build fills with the helpers' jar and the helpers' runtime dependencies, and the
 * agent's own jar. Output of a service's threads goes to the kernel log, never to a cell.
 *
 * <p>A JVM started in debug mode loads the JDK's JDWP agent, which connects out to the kernel (see
 * {@link JdwpListener}), and JShell in it compiles for a debugger; other JVMs carry none of that: the
 * agent slows every cell, and JDK 25 maps no start-up cache of linked classes into a JVM that has it.
 */
final class UserJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserJvm.class);
    /** Where the output of services' threads goes (see the notebook API's Service). */
    private static final Logger SERVICES = LoggerFactory.getLogger("dev.jcn.kernel.services");
    private static final int TAIL_CHARS = 4096;
    private static final String FORCED_STOP = "dev.jcn.kernel.agent.ForcedStop";

    private final InterpreterEvents events;
    private final IntSupplier lastCell;
    private final Path socketDir;
    private final ServerSocketChannel server;
    private final Process process;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Done when a debug-mode JVM's agent has connected, or never will; at once without debug mode. */
    private final CompletableFuture<Void> debugConnected = new CompletableFuture<>();
    private final boolean debugMode;
    /**
     * Whether a cell ran in the JVM: then it holds the notebook's state. Comm messages do not count: their
     * handlers come from cells, and JupyterLab's widget manager opens a comm of its own as it connects.
     */
    private volatile boolean used;
    private final CompletableFuture<String> death = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder outputTail = new StringBuilder();
    private volatile WireChannel channel;
    private volatile Event.Exit exitEvent;
    private volatile boolean closing;
    private volatile List<ProcessHandle> lastDescendants = List.of();
    /** The JVM's debug connection, once its agent has connected. */
    private volatile VirtualMachine debuggee;
    private final long startedNanos = System.nanoTime();
    private final AotCache cache;
    /** Whether the JVM was started with {@link #cache}, which it then maps or finds stale. */
    private final boolean cacheGiven;

    private UserJvm(InterpreterEvents events, IntSupplier lastCell, List<String> options, boolean debugMode) throws IOException {
        this.events = events;
        this.lastCell = lastCell;
        this.debugMode = debugMode;
        Thread.ofPlatform().daemon().name("user-jvm-options").start(UserJvm::defaultOptions);
        this.socketDir = Files.createTempDirectory("jcn-kernel-");
        Path socket = socketDir.resolve("agent.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        String classPath = classPath();
        List<String> jvmOptions = jvmOptions(options, debugMode);
        this.cache = aotCache(jvmOptions, classPath, debugMode);
        this.cacheGiven = cache.isReady();
        String cacheAtLaunch = cacheGiven ? "used" : cache.status();
        // The debug agent is loaded at start (JDK 25 cannot load it later) and connects out to the
        // kernel; its port changes with every JVM, so it stays out of the start-up cache's key.
        JdwpListener debug = debugMode ? JdwpListener.open() : null;
        List<String> launchOptions = new ArrayList<>(jvmOptions);
        if (debug != null) {
            launchOptions.add(debug.agentOption());
        }
        // The agent ends with the kernel by itself: its standard input is a pipe from the kernel.
        List<String> command = ChildJvm.of(AgentLaunch.MAIN_CLASS).classPath(classPath).fastStart(false)
                .aotCache(cache).selfWatching().jvmOptions(launchOptions).args(socket.toString())
                .command();
        LOG.info("starting a user JVM{}; its start-up cache {}: {}", debugMode ? " in debug mode" : "", cache.file(), cacheAtLaunch);
        LOG.debug("starting user JVM: {}", command);
        try {
            this.process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            if (debug != null) {
                debug.close();
            }
            throw e;
        }
        if (debug != null) {
            Thread.ofPlatform().daemon().name("user-jvm-" + process.pid() + "-debug").start(() -> acceptDebugger(debug));
        } else {
            debugConnected.complete(null);
        }
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

    /** Hands the JVM's debug connection to the kernel; a JVM that never connects simply has no debugger. */
    private void acceptDebugger(JdwpListener listener) {
        try {
            VirtualMachine vm = listener.accept(process.pid());
            debuggee = vm;
            events.debuggee(vm);
        } catch (IOException e) {
            if (process.isAlive()) {
                LOG.warn("the user JVM {} did not connect its debug agent: {}", process.pid(), e.toString());
            }
        } finally {
            debugConnected.complete(null);
        }
    }

    /** Whether the JVM was started in debug mode, with the JDWP agent. */
    boolean debugMode() {
        return debugMode;
    }

    /** Notes that a cell ran in the JVM: from then on it holds state that a restart would lose. */
    void markUsed() {
        used = true;
    }

    /** Whether a cell has run in the JVM. */
    boolean used() {
        return used;
    }

    /**
     * Stops, through the debug connection, the virtual threads the JVM's forced stop left to it (it
     * cannot suspend them while the JDWP agent holds that capability); returns how many it reached.
     */
    int forceThroughDebugger() {
        return stopThroughDebugger().size();
    }

    /**
     * As {@link #forceThroughDebugger}, then waits up to {@code wait} for the threads it reached to
     * end; returns how many ended (a thread may catch the stop and go on).
     */
    int endThroughDebugger(Duration wait) {
        List<ThreadReference> reached = stopThroughDebugger();
        long deadline = System.nanoTime() + wait.toNanos();
        List<ThreadReference> running = new ArrayList<>(reached);
        while (!running.isEmpty()) {
            running.removeIf(UserJvm::ended);
            if (running.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return reached.size() - running.size();
    }

    private static boolean ended(ThreadReference t) {
        try {
            return t.isCollected() || t.status() == ThreadReference.THREAD_STATUS_ZOMBIE;
        } catch (ObjectCollectedException | VMDisconnectedException e) {
            return true;
        }
    }

    private List<ThreadReference> stopThroughDebugger() {
        VirtualMachine vm = debuggee;
        if (vm == null) {
            return List.of();
        }
        try {
            ReferenceType holder = loaded(vm, FORCED_STOP);
            if (holder == null
                    || !(holder.getValue(holder.fieldByName("forDebugger")) instanceof ArrayReference targets)
                    || !(holder.getValue(holder.fieldByName("FOR_DEBUGGER_ERROR")) instanceof ObjectReference forced)) {
                return List.of();
            }
            List<ThreadReference> reached = new ArrayList<>();
            for (Value v : targets.getValues()) {
                if (v instanceof ThreadReference t) {
                    t.suspend();
                    try {
                        t.stop(forced);
                        reached.add(t);
                    } catch (InvalidTypeException | RuntimeException e) {
                        LOG.info("the debugger could not stop thread {}: {}", t.name(), e.toString());
                    } finally {
                        t.resume();
                    }
                }
            }
            return reached;
        } catch (VMDisconnectedException e) {
            return List.of();
        } catch (RuntimeException e) {
            LOG.warn("the debugger's forced stop of virtual threads failed: {}", e.toString());
            return List.of();
        }
    }

    private static ReferenceType loaded(VirtualMachine vm, String name) {
        List<ReferenceType> types = vm.classesByName(name);
        return types.isEmpty() ? null : types.get(0);
    }

    /**
     * Starts a user JVM, in debug mode or not; returns at once, {@link #ready()} completes when cells can
     * run (in debug mode, once the debugger is connected too, so that a first cell's breakpoints stop).
     */
    static UserJvm launch(InterpreterEvents events, IntSupplier lastCell, List<String> options, boolean debugMode)
            throws IOException {
        return new UserJvm(events, lastCell, options, debugMode);
    }

    /**
     * The user JVM's class path: the jars of {@code cell/} beside the kernel's own classes, in name
     * order, then the agent. Sources jars there are read for javadoc, never loaded from.
     */
    static String classPath() {
        Path cells = cellDirectory();
        List<String> entries = new ArrayList<>();
        try (Stream<Path> jars = Files.list(cells)) {
            jars.filter(p -> p.toString().endsWith(".jar") && !p.toString().endsWith("-sources.jar")).map(Path::toString).sorted().forEach(entries::add);
        } catch (IOException e) {
            throw new IllegalStateException("the cells' class path " + cells + " is missing; build the kernel with ./mvnw package", e);
        }
        entries.add(AgentLaunch.classPathEntry().toString());
        return String.join(File.pathSeparator, entries);
    }

    /** {@code cell/} beside the kernel's jar (or class folder). */
    private static Path cellDirectory() {
        try {
            Path kernel = Path.of(UserJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return kernel.toAbsolutePath().getParent().resolve("cell");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kernel's classes", e);
        }
    }

    /**
     * The start-up cache of user JVMs with {@code jvmOptions} on {@code classPath}, trained by the agent;
     * made in the background by the first JVM launched without it, or ahead of time by the installer.
     */
    static AotCache aotCache(List<String> jvmOptions, String classPath, boolean debugMode) {
        List<String> options = new ArrayList<>(List.of("--enable-preview", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8"));
        if (debugMode) {
            // JDK 25 refuses a cache of classes linked ahead of time to a JVM with the JDWP agent: the
            // debug-mode cache keeps its classes loaded ahead of time, not linked
            options.add("-XX:-AOTClassLinking");
        }
        options.addAll(jvmOptions);
        return AotCache.of("user-jvm", classPath, options, List.of(AgentLaunch.MAIN_CLASS, AgentLaunch.TRAIN));
    }

    /**
     * The default options, where the agent keeps its index of the cells' packages, {@code extra}, and in debug
     * mode the property that says so to the agent.
     */
    static List<String> jvmOptions(List<String> extra, boolean debugMode) {
        List<String> all = new ArrayList<>(defaultOptions());
        // written by the start-up cache's training run, beside the jars it describes
        all.add("-D" + AgentLaunch.PACKAGE_INDEX + "=" + cellDirectory().resolve("packages.idx"));
        all.addAll(extra);
        if (debugMode) {
            all.add("-D" + AgentLaunch.DEBUGGER + "=true");
        }
        return all;
    }

    /**
     * The JVM options every user JVM gets besides the launcher's own (preview features, UTF-8 streams);
     * the heap is bounded so that runaway allocation ends it.
     */
    static List<String> defaultOptions() {
        return Defaults.OPTIONS;
    }

    /**
     * The default options, worked out once per kernel: the machine's memory is read through the platform
     * MBeans, whose loading takes a tenth of a second of the kernel's start: the first launch has them worked
     * out on a thread of its own while it prepares the rest of the command.
     */
    private static final class Defaults {
        static final List<String> OPTIONS = computeDefaultOptions();
    }

    private static List<String> computeDefaultOptions() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long heapMb = Math.max(256, Math.min(2048, physical / 4 / (1 << 20)));
        return List.of(
                "-Djava.awt.headless=true",
                "--sun-misc-unsafe-memory-access=allow",
                "-Xmx" + heapMb + "m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.trackAllThreads=true",
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                // %threads reads which monitor or java.util.concurrent lock a thread waits for, and who holds it
                "--add-opens=java.base/jdk.internal.vm=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
                // the agent renews JShell's compiler after a snippet beyond the class file's limits
                "--add-opens=jdk.jshell/jdk.jshell=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                // the start-up cache is mapped where it was laid out, not relocated pointer by pointer
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
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

    /** Sends a request; the future completes with its reply, or fails if the JVM dies first. */
    CompletableFuture<Reply> call(Request request) {
        long id = ids.incrementAndGet();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.put(id, reply);
        WireChannel ch = channel;
        try {
            if (ch == null || death.isDone()) {
                throw new IOException("the user JVM is not running");
            }
            ch.send(WireCodec.encode(new Call(id, request)));
        } catch (IOException e) {
            pending.remove(id);
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /**
     * Sends a request and waits (at most {@code timeout}) for its reply of type {@code type}.
     *
     * @throws AgentException when there was no such reply: the agent failed (its trace is logged here),
     *     answered with something else, did not answer in time, or the JVM is gone
     */
    <R extends Reply> R ask(Request request, Class<R> type, Duration timeout) throws AgentException {
        Reply reply;
        try {
            reply = call(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AgentException("the user JVM is gone (" + e.getCause().getMessage() + ")");
        } catch (TimeoutException e) {
            throw new AgentException("the user JVM did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while waiting for the user JVM");
        }
        if (reply instanceof Reply.Failure f) {
            LOG.warn("the user JVM failed on {}: {}\n{}", request, f.message(), f.trace());
            throw new AgentException(f.message());
        }
        if (!type.isInstance(reply)) {
            throw new AgentException("the user JVM answered " + request + " with " + reply);
        }
        return type.cast(reply);
    }

    /** Why a request to the user JVM got no useful reply; one line for the user. */
    static final class AgentException extends Exception {
        AgentException(String message) {
            super(message, null, false, false);
        }
    }

    private void readLoop() {
        try {
            SocketChannel socket = server.accept();
            channel = new WireChannel(socket);
            byte[] frame;
            while ((frame = channel.receive()) != null) {
                try {
                    dispatch(WireCodec.decodeToKernel(frame));
                } catch (WireException e) {
                    failPending(e);
                }
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

    /** An answer the kernel cannot read still ends the request it belongs to, with the reason. */
    private void failPending(WireException e) {
        LOG.warn("unreadable message from the user JVM: {}", e.getMessage());
        CompletableFuture<Reply> f = e.id() < 0 ? null : pending.remove(e.id());
        if (f != null) {
            f.complete(new Reply.Failure("unreadable answer: " + e.getMessage(), ""));
        }
    }

    private void dispatch(ToKernel message) {
        switch (message) {
            case Answer a -> {
                CompletableFuture<Reply> f = pending.remove(a.id());
                if (f != null) {
                    f.complete(a.reply());
                }
            }
            case Event.Ready r -> {
                LOG.info("user JVM {} ready in {} ms", process.pid(), (System.nanoTime() - startedNanos) / 1_000_000);
                debugConnected.thenRun(() -> ready.complete(null));
                checkCache(r.classDataShared());
            }
            case Event.Output o -> {
                for (Event.Chunk c : o.chunks()) {
                    if (c.service().isEmpty()) {
                        events.stream(c.cell(), c.thread(), c.stderr() ? "stderr" : "stdout", c.text());
                    } else {
                        c.text().lines().forEach(line -> SERVICES.info("[{}] [{}] {}", c.service(), c.thread(), line));
                    }
                }
            }
            case Event.Display d -> events.display(d.cell(), d.bundle(), d.displayId(), d.update());
            case Event.Clear c -> events.clearOutput(c.cell(), c.await());
            case Event.Exit e -> exitEvent = e;
            case Event.Log l -> LOG.info("user JVM {}: {}", process.pid(), l.text());
            case Event.Comm c -> events.comm(c.cell(), c.frame());
            case Event.InputWanted w -> events.input(w.cell(), w.prompt(), w.password())
                    .exceptionally(e -> TypedInput.refused("the kernel could not ask for input (" + e.getMessage() + ")"))
                    .thenAccept(a -> call(new Request.Input(w.input(), a.line(), a.refusal())).thenAccept(r -> {
                        if (r instanceof Reply.Failure f) {
                            LOG.warn("input {} was not delivered: {}\n{}", w.input(), f.message(), f.trace());
                        }
                    }));
        }
    }

    /**
     * A JVM started with its start-up cache maps it, or finds it stale and starts without it, as every
     * later one would: then the cache is made afresh, away from this thread, which carries the cells' answers.
     */
    private void checkCache(boolean mapped) {
        if (!cacheGiven) {
            return;
        }
        if (mapped) {
            cache.mapped();
            return;
        }
        LOG.warn("user JVM {} did not map its start-up cache {}; it is made afresh", process.pid(), cache.file());
        Thread.ofPlatform().daemon().name("start-up-cache").start(() -> cache.rejected("a user JVM of kernel "
                + ProcessHandle.current().pid() + " did not map it"));
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
                carry = Arrays.copyOfRange(bytes, complete, bytes.length);
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
        Event.Exit exit = exitEvent;
        String tail;
        synchronized (outputTail) {
            tail = outputTail.toString();
        }
        if (exit != null) {
            return "System.exit(" + exit.status() + ") was called"
                    + (exit.cell() != 0 ? " by code of cell " + exit.cell() : "")
                    + " in thread \"" + exit.thread() + "\"";
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

    /** Kills the JVM now, and its descendants; {@link #death()} then completes. */
    void killTree() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Asks the agent to end (it closes services and kills its children), then makes sure; never throws. */
    @Override
    public void close() {
        closing = true;
        rememberDescendants();
        if (process.isAlive()) {
            call(new Request.Shutdown());
            try {
                process.waitFor(3, TimeUnit.SECONDS);
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
        WireChannel ch = channel;
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

    @Override
    public String toString() {
        return "user JVM " + process.pid();
    }
}
