package dev.jcn.kernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.jcn.notebook.MimeBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Interpreter} that runs cells in a separate "user JVM" hosting JShell, so that
 * {@code System.exit}, {@code OutOfMemoryError} or a runaway thread cost the user's state but
 * never the kernel.
 *
 * <pre>{@code
 * try (UserJvmInterpreter in = new UserJvmInterpreter(events)) {
 *     in.start();                                   // the user JVM starts in the background
 *     ExecuteResult r = in.execute(1, "int x = 6 * 7; x");
 * }
 * }</pre>
 *
 * <p>Interrupts escalate: (1) the cell's snippet code is told to stop (a check woven into every
 * loop) and its threads are interrupted; (2) after {@value #FORCE_AFTER_MS} ms, threads still
 * running get an error thrown into them (JVMTI StopThread, see {@code ForcedStop}), which also ends
 * loops inside library code and waits on locks; (3) after {@value #RESTART_AFTER_MS} ms the user JVM
 * is killed and a fresh one started. The failed result says which step stopped the cell and what
 * was lost. When the user JVM dies (System.exit, Runtime.halt, out of memory, killed), the running
 * cell fails with the reason and a fresh JVM starts at once.
 */
public final class UserJvmInterpreter implements Interpreter {

    private static final Logger LOG = LoggerFactory.getLogger(UserJvmInterpreter.class);
    static final long FORCE_AFTER_MS = 250;
    static final long RETRY_FORCE_MS = 250;
    static final long RESTART_AFTER_MS = 800;
    private static final long START_TIMEOUT_S = 60;
    private static final long QUERY_TIMEOUT_MS = 2_000;

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
    private volatile RunningCell running;
    private volatile AotCache.Training training;
    /** User JVMs in a row that died before they were ready; stops a crash loop. */
    private int failedStarts;
    private static final int MAX_FAILED_STARTS = 3;

    /** How far an interrupt got. */
    private static final class RunningCell {
        final int cell;
        final UserJvm jvm;
        final CompletableFuture<JsonObject> reply;
        volatile int step;
        volatile String stepNote = "";

        RunningCell(int cell, UserJvm jvm, CompletableFuture<JsonObject> reply) {
            this.cell = cell;
            this.jvm = jvm;
            this.reply = reply;
        }
    }

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
                // train only once the user JVM is up: the two would compete for the same cores
                jvm.ready().thenRun(this::trainAotCache);
            }
        }
    }

    private void launch() {
        try {
            UserJvm j = UserJvm.launch(events, () -> lastCell, jvmOptions);
            jvm = j;
            lifecycle.notifyAll();
            j.ready().thenRun(() -> reapplyClasspath(j));
            j.death().thenAccept(why -> onDeath(j, why));
        } catch (IOException e) {
            LOG.error("cannot start the user JVM", e);
            throw new IllegalStateException("cannot start the user JVM: " + e.getMessage(), e);
        }
    }

    private void trainAotCache() {
        synchronized (lifecycle) {
            if (!closed && training == null) {
                training = AotCache.trainIfMissing(UserJvm.jvmOptions(jvmOptions), System.getProperty("java.class.path"));
            }
        }
    }

    private void reapplyClasspath(UserJvm j) {
        List<String> entries;
        synchronized (lifecycle) {
            entries = List.copyOf(classpath);
        }
        if (!entries.isEmpty()) {
            JsonObject r = new JsonObject();
            r.addProperty("op", "classpath");
            r.add("entries", UserJvm.strings(entries));
            j.request(r);
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
        } catch (Exception e) {
            // the caller checks again
        }
    }

    @Override
    public ExecuteResult execute(int cell, String code) {
        lastCell = cell;
        UserJvm j;
        try {
            j = ready();
        } catch (IOException e) {
            return new ExecuteResult.Failed("UserJvmUnavailable", e.getMessage(), List.of(e.getMessage()));
        }
        JsonObject request = new JsonObject();
        request.addProperty("op", "execute");
        request.addProperty("cell", cell);
        request.addProperty("code", code);
        RunningCell rc = new RunningCell(cell, j, j.request(request));
        running = rc;
        try {
            JsonObject reply = CompletableFuture.anyOf(rc.reply, j.death()).thenApply(x -> rc.reply.getNow(null)).get();
            if (reply == null || rc.reply.isCompletedExceptionally()) {
                return diedDuring(rc, j.death().getNow("the user JVM stopped"));
            }
            return result(rc, reply);
        } catch (ExecutionException e) {
            return diedDuring(rc, j.death().getNow(String.valueOf(e.getCause().getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecuteResult.Failed("Interrupted", "the kernel thread was interrupted", List.of());
        } finally {
            running = null;
        }
    }

    private ExecuteResult diedDuring(RunningCell rc, String why) {
        if (rc.step == 3) {
            String msg = "interrupted: the cell did not stop, so the user JVM was restarted (step 3 of 3); "
                    + "all variables, methods, classes and threads of earlier cells are gone, the helpers are imported again";
            return new ExecuteResult.Failed("Interrupted", msg, List.of(msg));
        }
        String msg = why + "; the user JVM was restarted: variables, methods, classes and threads of earlier cells are gone, "
                + "the helpers are imported again";
        return new ExecuteResult.Failed("UserJvmExited", msg, List.of(msg));
    }

    private static ExecuteResult result(RunningCell rc, JsonObject reply) {
        String status = reply.has("status") ? reply.get("status").getAsString() : "error";
        boolean interruptRequested = rc.step > 0;
        switch (status) {
            case "ok" -> {
                MimeBundle value = reply.has("value")
                        ? UserJvm.bundle(reply.getAsJsonObject("value")) : null;
                return new ExecuteResult.Ok(value);
            }
            case "interrupted" -> {
                if (reply.has("forced") && reply.get("forced").getAsBoolean()) {
                    rc.step = Math.max(rc.step, 2);
                }
                return interrupted(rc, List.of());
            }
            default -> {
                List<String> traceback = new ArrayList<>();
                if (reply.has("traceback")) {
                    reply.getAsJsonArray("traceback").forEach(e -> traceback.add(e.getAsString()));
                }
                if (reply.has("error")) {
                    return new ExecuteResult.Failed("KernelError", reply.get("error").getAsString(), List.of(reply.get("error").getAsString()));
                }
                if (interruptRequested) {
                    List<String> lines = new ArrayList<>();
                    lines.add("(the interrupt ended the cell with " + reply.get("ename").getAsString() + ")");
                    lines.addAll(traceback);
                    return interrupted(rc, lines);
                }
                return new ExecuteResult.Failed(reply.get("ename").getAsString(), reply.get("evalue").getAsString(), traceback);
            }
        }
    }

    private static ExecuteResult interrupted(RunningCell rc, List<String> traceback) {
        String how = switch (rc.step) {
            case 0, 1 -> "stopped at step 1 of 3 (interrupt and stop checks); all state is kept";
            case 2 -> "stopped at step 2 of 3 (forced stop" + rc.stepNote
                    + "); all state is kept, but objects the cell was changing may be inconsistent";
            default -> "stopped at step 3 of 3 (user JVM restarted); all state is gone";
        };
        List<String> lines = new ArrayList<>();
        lines.add("Interrupted: " + how);
        lines.addAll(traceback);
        return new ExecuteResult.Failed("Interrupted", how, lines);
    }

    @Override
    public void interrupt() {
        RunningCell rc = running;
        if (rc == null || rc.step > 0) {
            return;
        }
        rc.step = 1;
        JsonObject soft = new JsonObject();
        soft.addProperty("op", "interrupt");
        soft.addProperty("cell", rc.cell);
        rc.jvm.request(soft);
        timer.schedule(() -> force(rc, true), FORCE_AFTER_MS, TimeUnit.MILLISECONDS);
    }

    /** Step two: an error is thrown into the cell's threads that are still busy (JVMTI StopThread). */
    private void force(RunningCell rc, boolean first) {
        JsonObject ask = new JsonObject();
        ask.addProperty("op", "force");
        ask.addProperty("cell", rc.cell);
        try {
            JsonObject r = rc.jvm.request(ask).get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            int n = r.get("forced").getAsInt();
            if (!r.get("problem").getAsString().isEmpty()) {
                LOG.warn("forced stop in cell {}: {}", rc.cell, r.get("problem").getAsString());
            }
            if (n > 0) {
                LOG.info("forced stop of {} thread(s) of cell {}", n, rc.cell);
                rc.stepNote = ", " + n + (n == 1 ? " thread" : " threads");
            }
        } catch (Exception e) {
            LOG.warn("forced stop of cell {} failed", rc.cell, e);
        }
        if (!rc.reply.isDone()) {
            // A thread busy inside the VM (class loading, say) receives the error only later: try
            // once more before giving up on the JVM.
            if (first) {
                timer.schedule(() -> force(rc, false), RETRY_FORCE_MS, TimeUnit.MILLISECONDS);
            } else {
                timer.schedule(() -> restartIfStuck(rc), Math.max(0, RESTART_AFTER_MS - FORCE_AFTER_MS - RETRY_FORCE_MS), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Step three: the cell ignored everything; only a new JVM stops it. */
    private void restartIfStuck(RunningCell rc) {
        if (rc.reply.isDone() || running != rc) {
            return;
        }
        rc.step = 3;
        LOG.warn("cell {} ignored the interrupt and the forced stop: killing the user JVM", rc.cell);
        rc.jvm.kill();
    }

    @Override
    public Completion complete(String code, int cursor) {
        int at = charIndex(code, cursor);
        JsonObject r = query("complete", code, at, 0);
        if (r == null || !r.has("matches")) {
            return new Completion(List.of(), cursor, cursor);
        }
        List<String> matches = new ArrayList<>();
        r.getAsJsonArray("matches").forEach(e -> matches.add(e.getAsString()));
        int start = r.get("start").getAsInt();
        return new Completion(matches, code.codePointCount(0, Math.min(start, code.length())), cursor);
    }

    @Override
    public Inspection inspect(String code, int cursor, int detailLevel) {
        JsonObject r = query("inspect", code, charIndex(code, cursor), detailLevel);
        if (r == null || !r.has("found") || !r.get("found").getAsBoolean()) {
            return new Inspection(false, null);
        }
        return new Inspection(true, MimeBundle.text(r.get("text").getAsString()));
    }

    @Override
    public Completeness isComplete(String code) {
        JsonObject r = query("isComplete", code, 0, 0);
        String status = r == null || !r.has("status") ? "unknown" : r.get("status").getAsString();
        return new Completeness(status, status.equals("incomplete") ? "    " : "");
    }

    private static int charIndex(String code, int codePoints) {
        int n = Math.max(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        return code.offsetByCodePoints(0, n);
    }

    private JsonObject query(String op, String code, int cursor, int detail) {
        JsonObject q = new JsonObject();
        q.addProperty("op", op);
        q.addProperty("code", code);
        q.addProperty("cursor", cursor);
        q.addProperty("detail", detail);
        return ask(q);
    }

    /** A request answered within {@link #QUERY_TIMEOUT_MS}, or null. */
    private JsonObject ask(JsonObject q) {
        try {
            UserJvm j = ready();
            return j.request(q).get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.debug("{} got no answer: {}", q.get("op"), e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        List<String> paths = entries.stream().map(p -> p.toAbsolutePath().toString()).toList();
        synchronized (lifecycle) {
            classpath.addAll(paths);
        }
        JsonObject q = new JsonObject();
        q.addProperty("op", "classpath");
        q.add("entries", UserJvm.strings(paths));
        ask(q);
    }

    @Override
    public MimeBundle threads() {
        JsonObject q = new JsonObject();
        q.addProperty("op", "threads");
        JsonObject r = ask(q);
        if (r == null || !r.has("threads")) {
            return MimeBundle.text("the user JVM did not answer");
        }
        return Listings.threads(r.getAsJsonArray("threads"));
    }

    @Override
    public MimeBundle procs() {
        JsonObject q = new JsonObject();
        q.addProperty("op", "procs");
        JsonObject r = ask(q);
        if (r == null || !r.has("procs")) {
            return MimeBundle.text("the user JVM did not answer");
        }
        return Listings.procs(r.getAsJsonArray("procs"));
    }

    @Override
    public MimeBundle stop(String target) {
        String t = target == null ? "" : target.strip();
        JsonObject q = new JsonObject();
        q.addProperty("op", "stop");
        q.addProperty("target", t);
        UserJvm j = current();
        JsonObject r = ask(q);
        if (r == null || j == null) {
            return MimeBundle.text("the user JVM did not answer");
        }
        if (r.get("unknown").getAsBoolean()) {
            return MimeBundle.text("no thread named \"" + t + "\" and no child process with pid " + t);
        }
        int forced = r.get("forced").getAsInt();
        long alive = r.get("alive").getAsLong();
        String notes = (forced > 0 ? "; " + forced + " of them ignored the interrupt and were stopped by force" : "")
                + (alive > 0 ? "; " + alive + " still alive (a virtual thread parked where interrupts do not reach, or a thread that caught the stop)" : "");
        JsonArray threads = r.getAsJsonArray("threads");
        JsonArray pids = r.getAsJsonArray("pids");
        StringBuilder text = new StringBuilder();
        text.append("stopped ").append(threads.size()).append(threads.size() == 1 ? " thread" : " threads");
        if (!threads.isEmpty()) {
            text.append(" (").append(String.join(", ", names(threads, 10))).append(")");
        }
        text.append(notes);
        text.append(" and ").append(pids.size()).append(pids.size() == 1 ? " process" : " processes");
        if (!pids.isEmpty()) {
            text.append(" (pid ").append(String.join(", ", names(pids, 10))).append(")");
        }
        return MimeBundle.text(text.toString());
    }

    private static List<String> names(JsonArray a, int max) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) {
            if (out.size() == max) {
                out.add("… " + (a.size() - max) + " more");
                break;
            }
            out.add(e.getAsString());
        }
        return out;
    }

    /**
     * Makes the start-up cache of user JVMs now, if it is missing, and waits for it (at most
     * {@code seconds}); for installers, so that even the first kernel starts fast. Kernels also
     * make it themselves in the background. Returns whether the cache exists afterwards.
     */
    public static boolean prepareStartupCache(long seconds) throws InterruptedException {
        List<String> options = UserJvm.jvmOptions(List.of());
        String classPath = System.getProperty("java.class.path");
        try (AotCache.Training t = AotCache.trainIfMissing(options, classPath)) {
            AotCache.await(t, seconds);
        }
        return !AotCache.options(options, classPath).isEmpty();
    }

    /** The pid of the current user JVM (for tests and diagnostics), or -1. */
    public long userJvmPid() {
        UserJvm j = current();
        return j == null ? -1 : j.pid();
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
        AotCache.Training t = training;
        if (t != null) {
            t.close();
        }
        if (j != null) {
            j.close();
        }
    }
}
