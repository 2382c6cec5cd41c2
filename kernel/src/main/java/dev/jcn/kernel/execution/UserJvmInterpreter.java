package dev.jcn.kernel.execution;

import dev.jcn.kernel.execution.UserJvm.AgentException;
import dev.jcn.kernel.debug.LockView;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Interpreter} that runs cells in a separate "user JVM" hosting JShell, so that
 * {@code System.exit}, {@code OutOfMemoryError} or a runaway thread cost the user's state but
 * never the kernel. It supervises that JVM: starts it, replaces it when it dies, escalates
 * interrupts ({@link InterruptEscalation}), and turns the agent's answers into what the user reads.
 *
 * <pre>{@code
 * try (UserJvmInterpreter in = new UserJvmInterpreter(events)) {
 *     in.start();                                   // the user JVM starts in the background
 *     ExecuteResult r = in.execute(1, "int x = 6 * 7; x");
 * }
 * }</pre>
 *
 * <p>When the user JVM dies (System.exit, Runtime.halt, out of memory, killed), the running cell
 * fails with the reason and a fresh JVM starts at once, with the class path that {@code %maven} and
 * {@code %classpath} added.
 *
 * <p>The user JVM starts without the debug agent; once the debugger is switched on
 * ({@link #debuggerOn()}), the next user JVM starts in debug mode, and so does every one after it.
 */
public final class UserJvmInterpreter implements Interpreter {

    private static final Logger LOG = LoggerFactory.getLogger(UserJvmInterpreter.class);
    private static final long START_TIMEOUT_S = 60;
    /** How long %stop waits for the virtual threads it stopped through the debug connection to end. */
    private static final Duration DEBUGGER_STOP_WAIT = Duration.ofSeconds(2);
    /** A forced stop (interrupt step 2) must answer quickly, or step 3 follows. */
    private static final Duration FORCE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Completion, inspection and completeness: the first answers warm JShell's compiler and parse
     * sources, which takes seconds on a busy machine (while JShell indexes the class path beside
     * them); a cell never waits for them. No answer is an empty one.
     */
    private static final Duration EDITING_TIMEOUT = Duration.ofSeconds(5);
    /** comm_info: the open comms are a map in the user JVM; no answer in time lists none. */
    private static final Duration COMMS_TIMEOUT = Duration.ofSeconds(2);
    /** %threads with 10,000 threads on a busy machine. */
    private static final Duration LISTING_TIMEOUT = Duration.ofSeconds(10);
    /** The first addition reads the Maven metadata of every jar the cells have. */
    private static final Duration CLASSPATH_TIMEOUT = Duration.ofSeconds(60);
    /** %stop gives each service's close action up to ten seconds. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    /** Services get this long to close before step 3 of an interrupt kills their JVM. */
    private static final Duration CLOSE_BEFORE_KILL = Duration.ofMillis(500);
    /** User JVMs in a row that died before they were ready; stops a crash loop. */
    private static final int MAX_FAILED_STARTS = 3;

    private final InterpreterEvents events;
    private final List<String> jvmOptions;
    private final List<String> classpath = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kernel-interpreter-timer");
        t.setDaemon(true);
        return t;
    });
    private final Object lifecycle = new Object();
    private UserJvm jvm;
    private volatile boolean closed;
    private volatile int lastCell;
    private volatile InterruptEscalation running;
    private int failedStarts;
    /** Whether user JVMs start in debug mode; once set, it stays. */
    private volatile boolean debugMode;
    /** Whether the first cell's times were logged: with the user JVM's steps, they say where a start's time went. */
    private final AtomicBoolean firstCellLogged = new AtomicBoolean();

    /** An interpreter whose user JVM gets the default options. */
    public UserJvmInterpreter(InterpreterEvents events) {
        this(events, List.of());
    }

    /** An interpreter whose user JVM also gets {@code jvmOptions} (e.g. {@code -Xmx512m}). */
    public UserJvmInterpreter(InterpreterEvents events, List<String> jvmOptions) {
        this.events = events;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (jvm == null && !closed) {
                launch();
                timer.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    private void launch() {
        try {
            UserJvm j = UserJvm.launch(events, () -> lastCell, jvmOptions, debugMode);
            jvm = j;
            lifecycle.notifyAll();
            j.ready().thenRun(() -> reapplyClasspath(j));
            j.death().thenAccept(why -> onDeath(j, why));
        } catch (IOException e) {
            LOG.error("cannot start the user JVM", e);
            throw new IllegalStateException("cannot start the user JVM: " + e.getMessage(), e);
        }
    }

    @Override
    public DebuggerSwitch debuggerOn() {
        synchronized (lifecycle) {
            if (jvm != null && jvm.debugMode()) {
                return DebuggerSwitch.ON;
            }
            if (jvm != null && jvm.used()) {
                debugMode = true; // for the next JVM: a crash or an interrupt's restart loses the state anyway
                LOG.info("the debugger is on; user JVM {} holds the notebook's state and keeps running without the debug agent", jvm.pid());
                return DebuggerSwitch.STATE_KEPT;
            }
            replaceInDebugMode();
            LOG.info("the debugger is on; the user JVM held no state and was restarted in debug mode");
            return DebuggerSwitch.RESTARTED;
        }
    }

    @Override
    public boolean restartInDebugMode() {
        synchronized (lifecycle) {
            replaceInDebugMode();
        }
        LOG.info("the user JVM was restarted in debug mode on request");
        return true;
    }

    /** Holding {@link #lifecycle}: puts a JVM in debug mode in place of the current one, which is shut down apart. */
    private void replaceInDebugMode() {
        debugMode = true;
        UserJvm old = jvm;
        if (old == null || closed) {
            return; // start() launches it in debug mode
        }
        failedStarts = 0;
        launch();
        Thread.ofPlatform().daemon().name("user-jvm-" + old.pid() + "-close").start(old::close);
    }

    private void reapplyClasspath(UserJvm j) {
        List<String> entries;
        synchronized (lifecycle) {
            entries = List.copyOf(classpath);
        }
        if (!entries.isEmpty()) {
            j.call(new Request.AddClasspath(entries)).thenAccept(r -> {
                if (r instanceof Reply.Failure f) {
                    LOG.warn("the new user JVM did not get the added class path: {}\n{}", f.message(), f.trace());
                }
            });
        }
    }

    /** A dead JVM is replaced at once, so the next cell finds one ready. */
    private void onDeath(UserJvm dead, String why) {
        synchronized (lifecycle) {
            if (closed || jvm != dead) {
                return;
            }
            boolean neverReady = dead.ready().isCompletedExceptionally();
            failedStarts = neverReady ? failedStarts + 1 : 0;
            if (failedStarts >= MAX_FAILED_STARTS) {
                LOG.error("the user JVM failed to start {} times; last: {}", failedStarts, why);
                return;
            }
            LOG.info("restarting the user JVM: {}", why);
            if (running == null) {
                events.stream(lastCell, "kernel", "stderr",
                        "[kernel] " + why + "; the user JVM was restarted (variables, imports and threads of earlier cells are gone).\n");
            }
            launch();
        }
    }

    private void watch() {
        UserJvm j = current();
        if (j != null) {
            j.rememberDescendants();
        }
    }

    private UserJvm current() {
        synchronized (lifecycle) {
            return jvm;
        }
    }

    /** The running user JVM, waiting for it to be ready. */
    private UserJvm ready() throws IOException {
        start();
        synchronized (lifecycle) {
            if (!closed && failedStarts >= MAX_FAILED_STARTS && jvm != null && !jvm.isAlive()) {
                failedStarts = 0;
                launch();
            }
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            UserJvm j = current();
            if (j == null) {
                throw new IOException("the interpreter is closed");
            }
            if (j.death().isDone()) {
                waitForReplacement(j);
                continue;
            }
            try {
                j.ready().get(START_TIMEOUT_S, TimeUnit.SECONDS);
                return j;
            } catch (ExecutionException e) {
                // it died while starting; onDeath has launched another
                waitForReplacement(j);
            } catch (TimeoutException e) {
                throw new IOException("the user JVM did not start within " + START_TIMEOUT_S + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the user JVM");
            }
        }
        throw new IOException("the user JVM fails to start; see the kernel log");
    }

    /** Waits (bounded) until {@link #onDeath} has put another JVM in place of {@code dead}. */
    private void waitForReplacement(UserJvm dead) {
        try {
            dead.death().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            synchronized (lifecycle) {
                while (jvm == dead && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the caller checks again
        }
    }

    @Override
    public ExecuteResult execute(int cell, String code) {
        lastCell = cell;
        long asked = System.nanoTime();
        UserJvm j;
        try {
            j = ready();
        } catch (IOException e) {
            return new ExecuteResult.Failed("UserJvmUnavailable", e.getMessage(), List.of(e.getMessage()));
        }
        long sent = System.nanoTime();
        j.markUsed();
        CompletableFuture<Reply> reply = j.call(new Request.Execute(cell, code));
        if (firstCellLogged.compareAndSet(false, true)) {
            reply.thenRun(() -> LOG.info("first cell: waited {} ms for the user JVM, which answered {} ms later",
                    (sent - asked) / 1_000_000, (System.nanoTime() - sent) / 1_000_000));
        }
        InterruptEscalation escalation = new InterruptEscalation(cell, steps(j), reply::isDone,
                (delay, step) -> timer.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS));
        running = escalation;
        try {
            CompletableFuture.anyOf(reply, j.death()).get();
            if (!reply.isDone() || reply.isCompletedExceptionally()) {
                return diedDuring(escalation, j.death().getNow("the user JVM stopped"));
            }
            return result(escalation, reply.join());
        } catch (ExecutionException e) {
            return diedDuring(escalation, j.death().getNow(String.valueOf(e.getCause().getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecuteResult.Failed("Interrupted", "the kernel thread was interrupted", List.of());
        } finally {
            running = null;
        }
    }

    /** The steps of an interrupt, taken in {@code j}. */
    private InterruptEscalation.Steps steps(UserJvm j) {
        return new InterruptEscalation.Steps() {
            @Override
            public void stopChecks(int cell) {
                j.call(new Request.Interrupt(cell)).thenAccept(r -> {
                    if (r instanceof Reply.Failure f) {
                        LOG.warn("step 1 of an interrupt failed in cell {}: {}\n{}", cell, f.message(), f.trace());
                    }
                });
            }

            @Override
            public int force(int cell) {
                try {
                    Reply.Forced f = j.ask(new Request.Force(cell), Reply.Forced.class, FORCE_TIMEOUT);
                    if (!f.problem().isEmpty()) {
                        LOG.warn("forced stop in cell {}: {}", cell, f.problem());
                    }
                    return f.threads() + j.forceThroughDebugger();
                } catch (AgentException e) {
                    LOG.warn("forced stop of cell {} failed: {}", cell, e.getMessage());
                    return 0;
                }
            }

            @Override
            public void replaceJvm(int cell) {
                try {
                    j.ask(new Request.CloseServices(CLOSE_BEFORE_KILL.toMillis()), Reply.Stopped.class,
                            CLOSE_BEFORE_KILL.plusMillis(200));
                } catch (AgentException e) {
                    LOG.info("services of the stuck user JVM were not closed: {}", e.getMessage());
                }
                j.killTree();
            }
        };
    }

    /** The steps of an interrupt of a comm message's handlers in {@code j}; step 3 is a cell's. */
    private InterruptEscalation.Steps commSteps(UserJvm j) {
        InterruptEscalation.Steps cellSteps = steps(j);
        return new InterruptEscalation.Steps() {
            @Override
            public void stopChecks(int cell) {
                j.call(new Request.StopCommHandler(false));
            }

            @Override
            public int force(int cell) {
                try {
                    return j.ask(new Request.StopCommHandler(true), Reply.Forced.class, FORCE_TIMEOUT).threads();
                } catch (AgentException e) {
                    LOG.warn("forced stop of a comm handler failed: {}", e.getMessage());
                    return 0;
                }
            }

            @Override
            public void replaceJvm(int cell) {
                cellSteps.replaceJvm(cell);
            }
        };
    }

    private static ExecuteResult diedDuring(InterruptEscalation escalation, String why) {
        if (escalation.reached() == InterruptEscalation.Step.NEW_JVM) {
            String msg = "interrupted: the cell did not stop, so the user JVM was restarted (step 3 of 3); "
                    + "all variables, methods, classes and threads of earlier cells are gone, the helpers are imported again";
            return new ExecuteResult.Failed("Interrupted", msg, List.of(msg));
        }
        String msg = why + "; the user JVM was restarted: variables, methods, classes and threads of earlier cells are gone, "
                + "the helpers are imported again";
        return new ExecuteResult.Failed("UserJvmExited", msg, List.of(msg));
    }

    private static ExecuteResult result(InterruptEscalation escalation, Reply reply) {
        boolean interruptRequested = escalation.reached() != InterruptEscalation.Step.NONE;
        return switch (reply) {
            case Reply.CellDone done -> new ExecuteResult.Ok(done.value());
            case Reply.CellInterrupted stopped -> interrupted(escalation,
                    stopped.forced() ? InterruptEscalation.Step.FORCED_STOP : InterruptEscalation.Step.STOP_CHECKS, List.of());
            case Reply.CellFailed failed when interruptRequested -> {
                List<String> lines = new ArrayList<>();
                lines.add("(the interrupt ended the cell with " + failed.ename() + ")");
                lines.addAll(failed.traceback());
                yield interrupted(escalation, InterruptEscalation.Step.STOP_CHECKS, lines);
            }
            case Reply.CellFailed failed -> new ExecuteResult.Failed(failed.ename(), failed.evalue(), failed.traceback());
            case Reply.Failure f -> {
                LOG.warn("the user JVM could not run the cell: {}\n{}", f.message(), f.trace());
                yield new ExecuteResult.Failed("KernelError", f.message(), List.of(f.message()));
            }
            default -> new ExecuteResult.Failed("KernelError", "unexpected answer " + reply, List.of("unexpected answer " + reply));
        };
    }

    private static ExecuteResult interrupted(InterruptEscalation escalation, InterruptEscalation.Step stoppedBy, List<String> traceback) {
        int forced = escalation.forcedThreads();
        String how = switch (stoppedBy) {
            case FORCED_STOP -> "stopped at step 2 of 3 (forced stop" + (forced == 0 ? "" : ", " + forced + (forced == 1 ? " thread" : " threads"))
                    + "); all state is kept, but objects the cell was changing may be inconsistent";
            case NEW_JVM -> "stopped at step 3 of 3 (user JVM restarted); all state is gone";
            default -> "stopped at step 1 of 3 (interrupt and stop checks); all state is kept";
        };
        List<String> lines = new ArrayList<>();
        lines.add("Interrupted: " + how);
        lines.addAll(traceback);
        return new ExecuteResult.Failed("Interrupted", how, lines);
    }

    @Override
    public void interrupt() {
        events.stopping();
        InterruptEscalation e = running;
        if (e != null) {
            e.interrupt();
        }
    }

    @Override
    public Completion complete(String code, int cursor) {
        Reply.Completions r = question(new Request.Complete(code, charIndex(code, cursor)), Reply.Completions.class);
        if (r == null) {
            return new Completion(List.of(), cursor, cursor);
        }
        List<Completion.Item> items = r.candidates().stream()
                .map(c -> new Completion.Item(c.text(), c.label(), c.kind(), c.signature())).toList();
        return new Completion(items, code.codePointCount(0, Math.min(r.start(), code.length())), cursor);
    }

    @Override
    public Inspection inspect(String code, int cursor, int detailLevel) {
        Reply.Documentation r = question(new Request.Inspect(code, charIndex(code, cursor)), Reply.Documentation.class);
        if (r == null || r.plain().isEmpty()) {
            return new Inspection(false, null);
        }
        return new Inspection(true, MimeBundle.text(r.plain()).with("text/markdown", r.markdown()));
    }

    @Override
    public Completeness isComplete(String code) {
        Reply.Completeness r = question(new Request.CheckComplete(code), Reply.Completeness.class);
        String status = r == null ? "unknown" : r.status();
        return new Completeness(status, status.equals("incomplete") ? "    " : "");
    }

    private static int charIndex(String code, int codePoints) {
        int n = Math.max(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        return code.offsetByCodePoints(0, n);
    }

    /** The reply to a question, or null when there is none (the reason is logged). */
    private <R extends Reply> R question(Request q, Class<R> type) {
        try {
            return ready().ask(q, type, EDITING_TIMEOUT);
        } catch (IOException | AgentException e) {
            LOG.debug("{} got no answer: {}", q, e.getMessage());
            return null;
        }
    }

    @Override
    public MimeBundle renderVariable(String name) {
        Reply.Rendered r = question(new Request.RenderVariable(name), Reply.Rendered.class);
        return r == null ? null : r.bundle();
    }

    @Override
    public List<Variable> variables() {
        Reply.Variables r = question(new Request.ListVariables(), Reply.Variables.class);
        return r == null ? List.of() : r.rows().stream().map(v -> new Variable(v.name(), v.type(), v.value())).toList();
    }

    @Override
    public ClasspathChange addToClasspath(List<Path> entries) {
        List<String> paths = entries.stream().map(p -> p.toAbsolutePath().toString()).toList();
        try {
            Reply.ClasspathAdded r = ready().ask(new Request.AddClasspath(paths), Reply.ClasspathAdded.class, CLASSPATH_TIMEOUT);
            synchronized (lifecycle) {
                classpath.addAll(r.added());
            }
            return new ClasspathChange(r.added().stream().map(Path::of).toList(), r.notes());
        } catch (IOException | AgentException e) {
            throw new IllegalStateException("the class path could not be extended: " + e.getMessage(), e);
        }
    }

    @Override
    public MimeBundle threads() {
        try {
            UserJvm j = ready();
            MimeBundle listing = Listings.threads(j.ask(new Request.ListThreads(), Reply.Threads.class, LISTING_TIMEOUT).rows());
            return LockView.withDeadlocks(listing,
                    j.ask(new Request.ThreadStacks(false), Reply.ThreadStacks.class, LISTING_TIMEOUT).threads());
        } catch (IOException | AgentException e) {
            return MimeBundle.text("the user JVM did not list its threads: " + e.getMessage());
        }
    }

    @Override
    public MimeBundle threadStacks() {
        try {
            return LockView.stacks(ready().ask(new Request.ThreadStacks(true), Reply.ThreadStacks.class, LISTING_TIMEOUT).threads());
        } catch (IOException | AgentException e) {
            return MimeBundle.text("the user JVM did not show its threads: " + e.getMessage());
        }
    }

    @Override
    public MimeBundle procs() {
        try {
            return Listings.procs(ready().ask(new Request.ListProcesses(), Reply.Processes.class, LISTING_TIMEOUT).rows());
        } catch (IOException | AgentException e) {
            return MimeBundle.text("the user JVM did not list its processes: " + e.getMessage());
        }
    }

    @Override
    public MimeBundle stop(String target) {
        String t = target == null ? "" : target.strip();
        events.stopping();
        try {
            UserJvm j = ready();
            Reply.Stopped r = j.ask(new Request.Stop(t), Reply.Stopped.class, STOP_TIMEOUT);
            // virtual threads the agent could not suspend (in debug mode the JDWP agent holds that capability)
            int ended = r.alive() > 0 ? j.endThroughDebugger(DEBUGGER_STOP_WAIT) : 0;
            if (ended > 0) {
                r = new Reply.Stopped(r.services(), r.problems(), r.threads(), r.forced() + ended, r.alive() - ended, r.pids());
            }
            return Listings.stopped(t, r);
        } catch (IOException | AgentException e) {
            return MimeBundle.text("the user JVM did not stop anything: " + e.getMessage());
        }
    }

    @Override
    public boolean comm(CommFrame frame) {
        UserJvm j;
        try {
            j = ready();
        } catch (IOException e) {
            LOG.warn("{} {} not delivered: {}", frame.kind().messageType(), frame.commId(), e.getMessage());
            return false;
        }
        CompletableFuture<Reply> reply = j.call(new Request.Comm(frame));
        // A handler may run as long as a cell (a button that starts a sweep): an interrupt stops it in
        // the same three steps, and the JVM's death ends the wait.
        InterruptEscalation escalation = new InterruptEscalation(lastCell, commSteps(j), reply::isDone,
                (delay, step) -> timer.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS));
        running = escalation;
        try {
            CompletableFuture.anyOf(reply, j.death()).get();
        } catch (ExecutionException e) {
            LOG.warn("{} {} not delivered: {}", frame.kind().messageType(), frame.commId(), e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            running = null;
        }
        Reply r = reply.getNow(null);
        if (r == null) {
            String why = escalation.reached() == InterruptEscalation.Step.NEW_JVM
                    ? "interrupted: the listener did not stop, so the user JVM was restarted (step 3 of 3)"
                    : j.death().getNow("the user JVM stopped");
            events.stream(lastCell, "kernel", "stderr", "[kernel] " + why
                    + "; variables, methods, classes and threads of earlier cells are gone.\n");
            return true;
        }
        if (r instanceof Reply.CommHandled handled) {
            return handled.known();
        }
        if (r instanceof Reply.Failure f) {
            LOG.warn("the user JVM failed on {} {}: {}\n{}", frame.kind().messageType(), frame.commId(), f.message(), f.trace());
        }
        return false;
    }

    @Override
    public Map<String, String> comms(String target) {
        try {
            return ready().ask(new Request.ListComms(target == null ? "" : target), Reply.Comms.class, COMMS_TIMEOUT).comms();
        } catch (IOException | AgentException e) {
            LOG.warn("the user JVM did not list its comms: {}", e.getMessage());
            return Map.of();
        }
    }

    /**
     * Makes the start-up cache of user JVMs (not in debug mode) now, if it is missing (at most {@code timeout}); for
     * installers, so that even the first kernel starts fast. Kernels also make it themselves in the
     * background. Returns whether the cache exists afterwards.
     */
    public static boolean prepareStartupCache(Duration timeout) {
        String classPath = UserJvm.classPath();
        return UserJvm.aotCache(UserJvm.jvmOptions(List.of(), false), classPath, false).prepare(timeout);
    }

    @Override
    public void close() {
        UserJvm j;
        synchronized (lifecycle) {
            closed = true;
            j = jvm;
            jvm = null;
        }
        timer.shutdownNow();
        if (j != null) {
            j.close();
        }
    }
}
