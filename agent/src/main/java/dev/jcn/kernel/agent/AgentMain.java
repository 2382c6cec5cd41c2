package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.AgentLaunch;
import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.notebook.spi.Host;
import dev.jcn.notebook.widgets.Widget;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry point of the user JVM: connects to the kernel, puts the agent's parts together, opens
 * the JShell that runs cells, and serves the kernel's requests until it goes away.
 *
 * <pre>{@code
 * java --enable-preview -cp CELL_CLASS_PATH:agent.jar dev.jcn.kernel.agent.AgentMain /tmp/jcn-kernel-1/agent.sock
 * }</pre>
 *
 * <p>The parts: {@link UserStreams} (standard streams), {@link StdinRelay} (standard input), {@link CommHandlers} (comms), {@link ExitWatch} ({@code System.exit}),
 * {@link AgentHost} (the notebook API), {@link CellRuns} (cells on their threads),
 * {@link Interrupts} (steps 1 and 2), {@link StopCommand} ({@code %stop}, services),
 * {@link Dispatcher} (requests and their answers) and {@link AotTraining} for the start-up cache. For a sooner
 * first result, {@link JitPriority} lowers the JIT while the first cell is prepared and {@link JdkDirectories}
 * reads ahead what javac's first compilation lists.
 * The JVM ends when the kernel closes the socket or its standard input, after closing services and
 * killing its own child processes.
 */
public final class AgentMain {

    /** Throw-away snippets compiled while no cell needs JShell, so that the first cells find it warm. */
    static final int WARM_UP_ROUNDS = 40;
    /**
     * How long the warm-up waits for a first cell before it starts. A frontend that runs a cell as soon
     * as the kernel is up (nbclient, a benchmark) sends it at once, and a warm-up snippet compiled cold
     * would hold JShell as long as the cell itself; a reader takes seconds, which the warm-up uses.
     */
    private static final Duration WARM_UP_DELAY = Duration.ofMillis(300);
    /** The longest the first cell delays loading the classes of forced stops and %threads. */
    private static final Duration FIRST_ANSWER_WAIT = Duration.ofSeconds(2);

    private AgentMain() {}

    /**
     * A frontend that interrupts with a signal sends SIGINT to the kernel's whole process group: the
     * kernel turns it into an interrupt of the cell, and the user JVM must not end on it. Reached
     * reflectively because sun.misc.Signal is the only public hook and javac warns on it.
     */
    private static void ignoreSigint() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("INT"),
                    handler.getField("SIG_IGN").get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("SIGINT still ends the user JVM: " + e);
        }
    }

    /** The value {@code work} computes on a new daemon thread named {@code name}. */
    private static <T> CompletableFuture<T> onThread(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(AgentLaunch.TRAIN)) {
            AotTraining.run();
            System.exit(0);
        }
        if (args.length != 1) {
            System.err.println("usage: AgentMain <unix-socket-path> | " + AgentLaunch.TRAIN);
            System.exit(2);
        }
        StartupSteps steps = new StartupSteps();
        // JShell and its imports take most of the start: they are made on a thread of their own from the
        // start, while this one connects to the kernel and puts the other parts together, and the helpers'
        // packages are listed on a third (two cores). JShell needs neither the connection nor the parts.
        CellClassPath cells = CellClassPath.install();
        CompletableFuture<List<String>> imports = onThread("listing-imports", () -> {
            List<String> all = ShellSession.defaultImports(cells);
            steps.mark("imports listed");
            return all;
        });
        CompletableFuture<ShellSession> opening = onThread("opening-jshell", () -> {
            ShellSession s = ShellSession.create(cells);
            steps.mark("JShell");
            s.importAll(imports.join());
            steps.mark("imported");
            return s;
        });
        // javac's first compilation lists the imported JDK packages; their directories are read ahead beside it
        Thread.ofPlatform().daemon().name("reading-jdk-directories").start(() -> {
            int read = JdkDirectories.readAhead(ShellSession.STANDARD_IMPORTS);
            steps.mark(read + " JDK directories read");
        });
        // the thread making JShell gets the cores before the JIT's, which compile that same compiler (see JitPriority)
        steps.mark(JitPriority.lower());
        ignoreSigint();
        PrintStream realErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        WireChannel channel = new WireChannel(SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0]))));
        Outbox outbox = new Outbox(channel, realErr);
        steps.mark("connected");
        AtomicReference<ShellSession> session = new AtomicReference<>();
        UserStreams streams = UserStreams.install(outbox, session::get);
        ExitWatch.start(outbox, streams::flush);
        ProcessCensus processes = new ProcessCensus();
        CellRuns runs = new CellRuns(processes, streams::flush);
        StdinRelay stdin = new StdinRelay(outbox, runs::isRunning, streams::flush);
        System.setIn(stdin.stream());
        CommHandlers comms = new CommHandlers(streams::flush);
        Widget.acceptControlComms();
        Host.install(new AgentHost(outbox, streams::flush, stdin, comms));
        StopCommand stop = new StopCommand(runs);
        // System.exit and SIGTERM run the hooks: services still get to close.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.closeServices(Dispatcher.SHUTDOWN_CLOSE), "closing services"));
        steps.mark("parts");
        ShellSession opened;
        try {
            opened = opening.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        session.set(opened);
        Dispatcher dispatcher = new Dispatcher(channel, outbox, session::get, runs, new Interrupts(runs, session::get),
                stop, processes, streams, stdin, comms);
        streams.watchKernel(dispatcher::shutdown);
        outbox.send(new Event.Ready(StartupSteps.classDataShared()));
        steps.mark("ready");
        outbox.send(new Event.Log(steps.line()));
        // what `make bench-kernel` gives JShell alone, to compare the first result with
        outbox.send(new Event.Log("default imports: " + String.join(", ", imports.join())));
        Thread.ofPlatform().daemon().name("kernel-warm-up").start(() -> {
            try {
                if (!runs.awaitFirstCell(WARM_UP_DELAY)) {
                    opened.warmUp(WARM_UP_ROUNDS, runs::anyStarted);
                }
                // On two cores, loading what forced stops and %threads need would take CPU from the first
                // cell, which compiles with a cold compiler: it waits for that cell's answer (a while at most).
                if (runs.anyStarted()) {
                    runs.awaitFirstAnswer(FIRST_ANSWER_WAIT);
                }
                JitPriority.restore();
            } catch (InterruptedException e) {
                JitPriority.restore();
                return;
            }
            ForcedStop.available();
            ThreadCensus.userThreads();
        });
        dispatcher.serve();
    }
}
