package dev.jcn.kernel.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Renderers;
import dev.jcn.notebook.Service;
import dev.jcn.notebook.spi.Host;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry point of the user JVM: hosts the JShell that runs cells and answers the kernel over a
 * Unix domain socket.
 *
 * <pre>{@code
 * java --enable-preview -cp kernel.jar:lib/* dev.jcn.kernel.agent.AgentMain /tmp/kernel-123.sock
 * }</pre>
 *
 * <p>Requests carry an {@code id} and get one reply with {@code re} set to it; unsolicited events
 * carry {@code ev}: {@code ready}, {@code out} (batched stream text), {@code display},
 * {@code clear} (clear_output) and {@code exit} (System.exit was called). The JVM ends when the kernel closes the socket or its
 * standard input, after killing its own child processes.
 */
public final class AgentMain {

    private static final Pattern EXIT_STATUS = Pattern.compile("status: (-?\\d+)");

    private final FrameChannel channel;
    private final PrintStream realErr;
    private final OutputCapture capture;
    private final ProcessCensus processes = new ProcessCensus();
    private final ExecutorService queries = Executors.newSingleThreadExecutor(r -> daemon(r, "kernel-query"));
    private final Map<Integer, Thread> cellThreads = new ConcurrentHashMap<>();
    private volatile ShellSession session;
    private volatile Thread runningCell;
    private volatile int cellsStarted;
    private static final int WARM_UP_ROUNDS = 40;
    /** Held strongly: java.util.logging forgets loggers nobody references. */
    private Logger exitLogger;

    private AgentMain(FrameChannel channel, PrintStream realErr) {
        this.channel = channel;
        this.realErr = realErr;
        this.capture = new OutputCapture(this::sendOutput);
    }

    /** The argument that makes this a training run for the AOT cache instead of a session. */
    public static final String TRAIN = "--train-aot-cache";

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: AgentMain <unix-socket-path> | " + TRAIN);
            System.exit(2);
        }
        if (args[0].equals(TRAIN)) {
            train();
            System.exit(0);
        }
        PrintStream realErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0])));
        new AgentMain(new FrameChannel(socket), realErr).run();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void run() throws IOException {
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        System.setIn(InputStream.nullInputStream());
        System.setOut(capture.stream("stdout"));
        System.setErr(capture.stream("stderr"));
        Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
        watchExit();
        daemon(() -> watchStdin(stdin), "kernel-stdin-watch").start();
        Host.install(new Host() {
            @Override
            public void display(MimeBundle bundle, String id, boolean update) {
                JsonObject ev = event("display");
                ev.addProperty("cell", Cells.current());
                ev.add("bundle", ShellSession.json(bundle));
                ev.addProperty("id", id);
                ev.addProperty("update", update);
                capture.flush();
                send(ev);
            }

            @Override
            public <R> R inService(Service<?> service, java.util.concurrent.Callable<R> code) throws Exception {
                return Cells.inService(service, code);
            }

            @Override
            public void clearOutput(boolean wait) {
                JsonObject ev = event("clear");
                ev.addProperty("cell", Cells.current());
                ev.addProperty("wait", wait);
                capture.flush();
                send(ev);
            }
        });
        JsonObject hello = event("hello");
        hello.addProperty("pid", ProcessHandle.current().pid());
        send(hello);
        session = ShellSession.open(ShellSession.defaultImports());
        send(event("ready"));
        daemon(this::warmUp, "kernel-warm-up").start();
        readLoop();
    }

    /**
     * What a session does first, run once with {@code -XX:AOTCacheOutput} so that the JVM records
     * the classes to load and link ahead of time: start JShell with the imports, run cells of each
     * kind, answer questions, render values.
     */
    private static void train() throws InterruptedException {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        ShellSession session = ShellSession.open(ShellSession.defaultImports());
        Thread.ofPlatform().start(() -> {
            Cells.enter(1);
            for (String cell : List.of("int x = 6 * 7;\nx", "void hello() { System.out.println(\"hello\"); }\nhello();",
                    "record Point(int x, int y) {}\nnew Point(1, 2)", "Integer.parseInt(\"not a number\")",
                    "int broken = ;", "var list = new ArrayList<Integer>(); for (int i = 0; i < 10; i++) list.add(i); list",
                    "Thread.ofVirtual().start(() -> {}).join();", "html(\"<b>x</b>\")")) {
                session.execute(1, cell);
            }
        }).join();
        session.complete("Math.ma", 7);
        session.inspect("Math.max(", 9, 0);
        session.isComplete("for (;;) {");
        session.warmUp(WARM_UP_ROUNDS, () -> false);
        ForcedStop.available();
        ThreadCensus.userThreads();
    }

    /** Prepares what the first cells, interrupts and %threads need, while the user is still reading. */
    private void warmUp() {
        session.warmUp(WARM_UP_ROUNDS, () -> runningCell != null || cellsStarted > 0);
        ForcedStop.available();
        ThreadCensus.userThreads();
    }

    private void readLoop() {
        while (true) {
            JsonObject request;
            try {
                request = channel.receive();
            } catch (IOException e) {
                request = null;
            }
            if (request == null) {
                shutdown();
                return;
            }
            try {
                handle(request);
            } catch (RuntimeException e) {
                JsonObject error = reply(request);
                error.addProperty("error", e.toString());
                send(error);
            }
        }
    }

    private void handle(JsonObject request) {
        String op = request.get("op").getAsString();
        switch (op) {
            case "execute" -> startCell(request);
            case "complete" -> queries.execute(() -> answer(request, session.complete(
                    request.get("code").getAsString(), request.get("cursor").getAsInt())));
            case "inspect" -> queries.execute(() -> answer(request, session.inspect(
                    request.get("code").getAsString(), request.get("cursor").getAsInt(), request.get("detail").getAsInt())));
            case "isComplete" -> queries.execute(() -> answer(request, session.isComplete(request.get("code").getAsString())));
            case "interrupt" -> answer(request, interrupt(request.get("cell").getAsInt()));
            case "force" -> answer(request, force(request.get("cell").getAsInt()));
            case "threads" -> queries.execute(() -> answer(request, threads()));
            case "procs" -> queries.execute(() -> {
                JsonObject r = new JsonObject();
                r.add("procs", processes.rows());
                answer(request, r);
            });
            case "stop" -> queries.execute(() -> answer(request, stop(request.get("target").getAsString())));
            case "classpath" -> {
                List<String> entries = new ArrayList<>();
                request.getAsJsonArray("entries").forEach(e -> entries.add(e.getAsString()));
                session.addToClasspath(entries);
                Renderers.reload();
                answer(request, new JsonObject());
            }
            case "shutdown" -> {
                answer(request, new JsonObject());
                shutdown();
            }
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private void startCell(JsonObject request) {
        cellsStarted++;
        int cell = request.get("cell").getAsInt();
        String code = request.get("code").getAsString();
        Thread t = new CellRunner(cell, () -> {
            // An interrupted cell's tasks may still be leaving the common pool; they must not take
            // this cell's parallel streams down with them.
            Cells.settleCommonPool(COMMON_POOL_SETTLE);
            Cells.enter(cell);
            JsonObject result;
            try {
                result = session.execute(cell, code);
            } catch (CellStopped stopped) {
                result = new JsonObject();
                result.addProperty("status", "interrupted");
            } catch (Throwable t2) {
                result = new JsonObject();
                result.addProperty("status", "error");
                result.addProperty("ename", t2.getClass().getName());
                result.addProperty("evalue", String.valueOf(t2.getMessage()));
                JsonArray tb = new JsonArray();
                tb.add(t2.toString());
                result.add("traceback", tb);
            }
            runningCell = null;
            cellThreads.remove(cell);
            Cells.release(cell);
            capture.flush();
            answer(request, result);
        });
        t.setDaemon(true);
        t.setContextClassLoader(session.classLoader());
        processes.cellStarted(cell);
        cellThreads.put(cell, t);
        runningCell = t;
        t.start();
    }

    /** How long a cell waits for an interrupted cell's tasks to leave the common pool. */
    private static final Duration COMMON_POOL_SETTLE = Duration.ofSeconds(1);

    /** The thread that runs one cell's snippets; it lives on briefly after its reply. */
    private static final class CellRunner extends Thread {
        CellRunner(int cell, Runnable body) {
            super(body, "cell-" + cell);
        }
    }

    /**
     * Threads that cells started, without the runners of cells that are done: such a runner has
     * replied but may not have ended yet, and it is no user thread to list, interrupt or stop.
     */
    private List<ThreadCensus.Entry> userThreads() {
        List<ThreadCensus.Entry> all = ThreadCensus.userThreads();
        all.removeIf(e -> e.thread() instanceof CellRunner && !cellThreads.containsValue(e.thread()));
        return all;
    }

    /**
     * Step one of an interrupt: stop checks for the cell's snippet code, and Thread.interrupt for
     * its threads. Threads of the cell that are busy right now are marked for good; idle ones (a
     * pool's parked workers) only get the interrupt, so a pool made by this cell keeps serving
     * later cells.
     */
    private JsonObject interrupt(int cell) {
        Thread cellThread = cellThreads.get(cell);
        if (cellThread != null) {
            Cells.stopRunning(cell);
            cellThread.interrupt();
            if (!cellThreads.containsKey(cell)) {
                Cells.release(cell); // it ended meanwhile, and will not release the mark itself
            }
        }
        int others = 0;
        for (ThreadCensus.Entry e : userThreads()) {
            Thread t = e.thread();
            // Common-pool workers serve every cell: their snippet code stops through the cell-wide mark.
            if (e.cell() == cell && t != cellThread && !Cells.isCommonPoolWorker(t)) {
                Thread.State state = t.getState();
                if (state == Thread.State.RUNNABLE || state == Thread.State.BLOCKED) {
                    Cells.stop(t);
                }
                t.interrupt();
                others++;
            }
        }
        JsonObject r = new JsonObject();
        r.addProperty("threads", others);
        return r;
    }

    /**
     * Step two: throws an error into the cell's threads that are still busy, wherever they are
     * (library loops, lock waits); virtual ones while they are on a carrier. The cell thread is stopped only while it runs user code:
     * stopping JShell or the compiler midway could break the session; once it is back in user code,
     * the woven stop checks end it anyway. Background threads are stopped only when runnable, since
     * only they burn CPU.
     */
    private JsonObject force(int cell) {
        List<Thread> targets = new ArrayList<>();
        Thread cellThread = cellThreads.get(cell);
        boolean cellRunning = cellThread != null && cellThread.isAlive();
        if (cellRunning && session.inUserCode()) {
            targets.add(cellThread);
        }
        for (ThreadCensus.Entry e : userThreads()) {
            Thread t = e.thread();
            if (e.cell() == cell && t != cellThread && t.getState() == Thread.State.RUNNABLE
                    && !Cells.isCommonPoolWorker(t)) {
                targets.add(t);
            }
        }
        if (Cells.stoppingCommonPool()) {
            // The interrupted cell's parallel work still running in the pool, e.g. inside a library loop.
            for (Thread t : ThreadCensus.allThreads()) {
                if (Cells.isCommonPoolWorker(t) && t.getState() == Thread.State.RUNNABLE && runsSnippetCode(t)) {
                    targets.add(t);
                }
            }
        }
        JsonObject r = forceStop(targets);
        r.addProperty("cellRunning", cellRunning);
        return r;
    }

    private static boolean runsSnippetCode(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (SnippetLoader.isSnippetClass(f.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static JsonObject forceStop(List<Thread> targets) {
        int stopped = 0;
        String problem = "";
        for (Thread t : targets) {
            try {
                if (ForcedStop.stop(t)) {
                    stopped++;
                }
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
        }
        JsonObject r = new JsonObject();
        r.addProperty("forced", stopped);
        r.addProperty("problem", problem);
        return r;
    }

    private JsonObject threads() {
        JsonArray rows = new JsonArray();
        for (ThreadCensus.Entry e : userThreads()) {
            Thread t = e.thread();
            JsonObject row = new JsonObject();
            row.addProperty("name", t.getName().isEmpty() ? "#" + t.threadId() : t.getName());
            row.addProperty("tid", t.threadId());
            row.addProperty("virtual", t.isVirtual());
            row.addProperty("state", t.getState().name());
            row.addProperty("cpuNanos", ThreadCensus.cpuNanos(t));
            row.addProperty("cell", e.cell());
            row.addProperty("cellThread", t == runningCell);
            rows.add(row);
        }
        JsonObject r = new JsonObject();
        r.add("threads", rows);
        return r;
    }

    /**
     * %stop: interrupts the chosen user threads and marks them stopped, kills the chosen processes,
     * waits briefly, and stops by force the threads that ignored the interrupt.
     */
    private JsonObject stop(String target) {
        List<Thread> chosen = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        Long pid = target.matches("\\d+") ? Long.parseLong(target) : null;
        for (ThreadCensus.Entry e : userThreads()) {
            if (e.thread() == runningCell) {
                continue;
            }
            if (target.isEmpty() || e.thread().getName().equals(target)) {
                chosen.add(e.thread());
            }
        }
        if (target.isEmpty()) {
            pids.addAll(ProcessCensus.killAll());
        } else if (pid != null) {
            ProcessHandle.current().descendants().filter(p -> p.pid() == pid).findFirst().ifPresent(p -> {
                ProcessCensus.kill(p);
                pids.add(pid);
            });
        }
        for (Thread t : chosen) {
            Cells.stop(t);
            t.interrupt();
        }
        long deadline = System.nanoTime() + 300_000_000L;
        List<Thread> stuck = new ArrayList<>();
        JsonArray names = new JsonArray();
        for (Thread t : chosen) {
            names.add(t.getName());
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                stuck.add(t);
            }
        }
        JsonObject r = forceStop(stuck);
        r.add("threads", names);
        JsonArray p = new JsonArray();
        pids.forEach(p::add);
        r.add("pids", p);
        long stillAlive = chosen.stream().filter(Thread::isAlive).count();
        r.addProperty("alive", stillAlive);
        r.addProperty("unknown", chosen.isEmpty() && pids.isEmpty() && !target.isEmpty());
        return r;
    }

    private void uncaught(Thread t, Throwable e) {
        PrintStream err = System.err;
        if (e instanceof CellStopped) {
            err.println("[thread \"" + t.getName() + "\" stopped: " + e.getMessage() + "]");
            return;
        }
        StringBuilder text = new StringBuilder("Exception in thread \"" + t.getName() + "\" ");
        ShellSession s = session;
        describe(e, text, s, 0);
        err.print(text);
        err.flush();
    }

    private static void describe(Throwable e, StringBuilder text, ShellSession s, int depth) {
        text.append(e).append('\n');
        for (StackTraceElement f : e.getStackTrace()) {
            if (ShellSession.isKernelFrame(f)) {
                break;
            }
            text.append("\tat ").append(s == null ? f.toString() : s.frame(f)).append('\n');
        }
        if (e.getCause() != null && depth < 8) {
            text.append("Caused by: ");
            describe(e.getCause(), text, s, depth + 1);
        }
    }

    /** Runtime.exit logs through System.Logger before the JVM goes down: tell the kernel first. */
    private void watchExit() {
        exitLogger = Logger.getLogger("java.lang.Runtime");
        exitLogger.setUseParentHandlers(false);
        exitLogger.setLevel(Level.FINE);
        exitLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                Matcher m = EXIT_STATUS.matcher(String.valueOf(record.getMessage()));
                JsonObject ev = event("exit");
                ev.addProperty("status", m.find() ? Integer.parseInt(m.group(1)) : -1);
                ev.addProperty("cell", Cells.current());
                ev.addProperty("thread", Thread.currentThread().getName());
                capture.flush();
                try {
                    channel.sendAndWait(ev, 1000);
                } catch (IOException e) {
                    // the kernel is gone; nobody to tell
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    private void watchStdin(InputStream stdin) {
        byte[] buffer = new byte[256];
        try {
            while (stdin.read(buffer) >= 0) {
                // the kernel never writes; reading only detects its end
            }
        } catch (IOException e) {
            // same as end of input
        }
        shutdown();
    }

    private void shutdown() {
        ProcessCensus.killAll();
        capture.flush();
        try {
            channel.sendAndWait(event("bye"), 500);
        } catch (IOException e) {
            // the kernel is gone already
        }
        Runtime.getRuntime().halt(0);
    }

    private void sendOutput(JsonArray items) {
        JsonObject ev = event("out");
        ev.add("items", items);
        send(ev);
    }

    private void answer(JsonObject request, JsonObject body) {
        JsonObject r = reply(request);
        body.entrySet().forEach(e -> r.add(e.getKey(), e.getValue()));
        send(r);
    }

    private static JsonObject reply(JsonObject request) {
        JsonObject r = new JsonObject();
        r.add("re", request.get("id"));
        return r;
    }

    private static JsonObject event(String kind) {
        JsonObject ev = new JsonObject();
        ev.addProperty("ev", kind);
        return ev;
    }

    private void send(JsonObject message) {
        try {
            channel.send(message);
        } catch (IOException e) {
            // The kernel is gone: nothing can be shown any more, so end like the kernel did.
            realErr.println("kernel connection lost: " + e.getMessage());
            ProcessCensus.killAll();
            Runtime.getRuntime().halt(1);
        }
    }
}
