package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Answer;
import dev.jcn.kernel.wire.Call;
import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.kernel.wire.WireCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a session does first, run once with {@code -XX:AOTCacheOutput} so that the JVM records the
 * classes to load and link ahead of time: start JShell with the imports, run cells of each kind,
 * answer questions, render values, read and write the wire.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=user-jvm.aot -cp ... dev.jcn.kernel.agent.AgentMain --train-aot-cache
 * }</pre>
 */
final class AotTraining {

    private AotTraining() {}

    static void run() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        try {
            connect(quiet);
        } catch (IOException e) {
            // no Unix domain sockets here (or no temporary folder): the rest of the training still helps
        }
        JitPriority.lower();
        JitPriority.restore();
        JdkDirectories.readAhead(ShellSession.STANDARD_IMPORTS);
        CellClassPath cells = CellClassPath.install();
        // before the session, which then starts as a user JVM does: with the index
        Optional<Path> index = PackageIndex.file();
        if (index.isPresent()) {
            PackageIndex.write(index.get(), cells.entries());
        }
        ShellSession session = ShellSession.open(cells, ShellSession.defaultImports(cells));
        Thread cells1 = Thread.ofPlatform().unstarted(() -> {
            Cells.enter(1);
            for (String cell : List.of("int x = 6 * 7;\nx", "void hello() { System.out.println(\"hello\"); }\nhello();",
                    "record Point(int x, int y) {}\nnew Point(1, 2)", "Integer.parseInt(\"not a number\")",
                    "int broken = ;", "var list = new ArrayList<Integer>(); for (int i = 0; i < 10; i++) list.add(i); list",
                    "Thread.ofVirtual().start(() -> {}).join();", "html(\"<b>x</b>\")", "1+1")) {
                Reply reply = session.execute(1, cell);
                try {
                    WireCodec.decodeToKernel(WireCodec.encode(new Answer(1, reply)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("the wire cannot read back what it wrote", e);
                }
            }
        });
        cells1.start();
        cells1.join();
        WireCodec.decodeCall(WireCodec.encode(new Call(2, new Request.Execute(2, "1+1"))));
        WireCodec.decodeToKernel(WireCodec.encode(new Event.Output(List.of(new Event.Chunk(1, "", "cell-1", false, "2\n")))));
        session.complete("Math.ma", 7);
        session.inspect("Math.max(", 9);
        session.isComplete("for (;;) {");
        session.warmUp(AgentMain.WARM_UP_ROUNDS, () -> false);
        ForcedStop.available();
        ThreadCensus.userThreads();
    }

    /**
     * The agent's own way to its first cell: the start-up line, the connection over a Unix domain socket
     * (to a listener of the training's own) and the first messages on it, and the classes of the parts
     * {@code main} puts together. A class the cache lacks is looked for along the class path, the agent's
     * jar last: the first such look-up on a user JVM's main thread opened every cell jar before JShell's
     * thread had started.
     */
    private static void connect(PrintStream quiet) throws IOException {
        StartupSteps steps = new StartupSteps();
        steps.mark("training");
        List<Class<?>> parts = List.of(UserStreams.class, OutputCapture.class, ExitWatch.class, ProcessCensus.class,
                CellRuns.class, StdinRelay.class, CommHandlers.class, AgentHost.class, StopCommand.class,
                Interrupts.class, Dispatcher.class);
        Path dir = Files.createTempDirectory("jcn-training-");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("agent.sock"));
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(address);
            WireChannel agent = new WireChannel(SocketChannel.open(address));
            WireChannel kernel = new WireChannel(listener.accept());
            try {
                Outbox outbox = new Outbox(agent, quiet);
                outbox.send(new Event.Ready(StartupSteps.classDataShared()));
                outbox.send(new Event.Log(steps.line() + "; " + parts.size() + " parts"));
                for (int i = 0; i < 2; i++) {
                    WireCodec.decodeToKernel(kernel.receive());
                }
            } finally {
                agent.close();
                kernel.close();
            }
        } finally {
            Files.deleteIfExists(address.getPath());
            Files.deleteIfExists(dir);
        }
    }
}
