package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.notebook.MimeBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link UserJvmInterpreter} with a real user JVM: cells, errors, output from threads, interrupts
 * of every kind, crashes survived. One interpreter serves the whole class; the crash tests check
 * that it restarts and keeps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserJvmInterpreterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RecordingEvents events = new RecordingEvents();
    private final AtomicInteger cells = new AtomicInteger(1);
    private UserJvmInterpreter in;

    @BeforeAll
    void start() {
        in = new UserJvmInterpreter(events, List.of("-Xmx256m"));
        in.start();
    }

    @AfterAll
    void close() {
        in.close();
    }

    private int next() {
        return cells.getAndIncrement();
    }

    private String value(ExecuteResult r) {
        assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
        MimeBundle v = ((ExecuteResult.Ok) r).value();
        assertThat(v).as("the cell's value").isNotNull();
        return v.data().get("text/plain").toString();
    }

    private ExecuteResult.Failed failed(ExecuteResult r) {
        assertThat(r).isInstanceOf(ExecuteResult.Failed.class);
        return (ExecuteResult.Failed) r;
    }

    private String run(String code) {
        return value(in.execute(next(), code));
    }

    /** Runs a cell that has no value and must succeed. */
    private void ok(String code) {
        ExecuteResult r = in.execute(next(), code);
        assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
    }

    // ---- cells ----

    @Test
    void lastExpressionIsTheValue() {
        assertThat(run("int x = 6 * 7;\nx")).isEqualTo("42");
        assertThat(run("String s = \"a\" + \"b\"; s.length()")).isEqualTo("2");
    }

    @Test
    void declarationsOnlyHaveNoValue() {
        ExecuteResult r = in.execute(next(), "int unused = 1;\nvoid noop() { }");
        assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
        assertThat(((ExecuteResult.Ok) r).value()).isNull();
    }

    @Test
    void commentsAndBlankCellsRunAndHaveNoValue() {
        for (String code : List.of("", "   \n", "// just a note", "/* a block */\n// and a line")) {
            ExecuteResult r = in.execute(next(), code);
            assertThat(r).as(code).isEqualTo(new ExecuteResult.Ok(null));
        }
        assertThat(run("// the value follows\n40 + 2 // trailing note")).isEqualTo("42");
    }

    @Test
    void manySnippetsRunInOrderAndRedefinitionWorks() {
        String cell = """
                import java.util.function.*;
                sealed interface Shape permits Square, Circle {}
                record Square(double side) implements Shape {}
                record Circle(double r) implements Shape {}
                double area(Shape s) {
                    return switch (s) {
                        case Square q -> q.side() * q.side();
                        case Circle c -> Math.PI * c.r() * c.r();
                    };
                }
                var shapes = List.of(new Square(2), new Square(3));
                shapes.stream().mapToDouble(this::area).sum()
                """.replace("this::area", "s -> area(s)");
        assertThat(run(cell)).isEqualTo("13.0");
        ok("int twice(int n) { return 2 * n; }");
        assertThat(run("twice(5)")).isEqualTo("10");
        ok("int twice(int n) { return 3 * n; }");
        assertThat(run("twice(5)")).isEqualTo("15");
    }

    @Test
    void previewFeaturesCompile() {
        String cell = """
                String both() throws Exception {
                    try (var scope = StructuredTaskScope.open()) {
                        var a = scope.fork(() -> "a");
                        var b = scope.fork(() -> "b");
                        scope.join();
                        return a.get() + b.get();
                    }
                }
                both()
                """;
        assertThat(run(cell)).isEqualTo("ab");
    }

    @Test
    void compileErrorNamesTheCellsLineAndColumn() {
        int cell = next();
        ExecuteResult.Failed f = failed(in.execute(cell, "int a = 1;\nint b = nope + 1;"));
        assertThat(f.ename()).isEqualTo("CompilationError");
        assertThat(f.evalue()).contains("line 2, column 9").contains("cannot find symbol");
        assertThat(f.traceback()).anySatisfy(l -> assertThat(l).contains("int b = nope + 1;"));
        assertThat(f.traceback()).anySatisfy(l -> assertThat(l).isEqualTo("    " + " ".repeat(8) + "^"));
    }

    @Test
    void exceptionShowsOnlyTheUsersFrames() {
        int cell = next();
        ExecuteResult.Failed f = failed(in.execute(cell, "void boom() {\n  throw new IllegalStateException(\"no\");\n}\nboom();"));
        assertThat(f.ename()).isEqualTo("java.lang.IllegalStateException");
        assertThat(f.evalue()).isEqualTo("no");
        assertThat(String.join("\n", f.traceback()))
                .contains("boom(cell " + cell + ", line 2)")
                .doesNotContain("jdk.jshell", "dev.jcn.kernel", "java.lang.reflect", "jdk.internal");
    }

    @Test
    void standardPackagesAndDisplayAreImported() {
        assertThat(run("new AtomicInteger(3).incrementAndGet() + Stream.of(1).count() + Duration.ofSeconds(1).toSeconds()"))
                .isEqualTo("6");
        assertThat(run("html(\"<b>x</b>\").html()")).isEqualTo("<b>x</b>");
    }

    // ---- the cells' class path ----

    @Test
    void theKernelsLibrariesAreHiddenUntilACellAddsItsOwnCopy() throws Exception {
        ExecuteResult.Failed hidden = failed(in.execute(next(), "Class.forName(\"com.google.gson.Gson\")"));
        assertThat(hidden.ename()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(failed(in.execute(next(), "Class.forName(\"dev.jcn.kernel.agent.AgentMain\")")).ename())
                .isEqualTo("java.lang.ClassNotFoundException");
        Path gson = Path.of(com.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClasspathChange change = in.addToClasspath(List.of(gson));
        assertThat(change.added()).containsExactly(gson.toAbsolutePath());
        assertThat(change.notes()).isEmpty();
        assertThat(run("Path.of(com.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI())"))
                .isEqualTo(gson.toAbsolutePath().toString());
    }

    // ---- snippets beyond the limits of the class file format ----

    private void failsWithTheCompilersMessageAndTheSessionGoesOn(String cell, String message) throws Exception {
        ok("int keptBefore = 41;");
        ExecuteResult.Failed f = failed(in.execute(next(), cell));
        assertThat(f.ename()).isEqualTo("CompilationError");
        assertThat(f.evalue()).contains(message);
        assertThat(f.traceback()).allSatisfy(line -> assertThat(line.length()).isLessThan(300));
        assertThat(run("keptBefore + 1")).isEqualTo("42");
        int printing = next();
        assertThat(in.execute(printing, "System.out.println(\"hi after the limit\");")).isInstanceOf(ExecuteResult.Ok.class);
        assertThat(events.awaitStream(s -> s.cell() == printing && s.text().contains("hi after the limit"), WAIT)).isTrue();
        ok("int declaredAfter = 2;");
        assertThat(run("keptBefore + declaredAfter")).isEqualTo("43");
    }

    @Test
    void aStringConstantOverTheClassFileLimitFailsAndTheSessionKeepsItsVariables() throws Exception {
        failsWithTheCompilersMessageAndTheSessionGoesOn("String big = \"" + "a".repeat(70_000) + "\";", "constant string too long");
    }

    @Test
    void aTwoMegabyteStringConstantFailsAndTheSessionKeepsItsVariables() throws Exception {
        failsWithTheCompilersMessageAndTheSessionGoesOn("String huge = \"" + "a".repeat(2_000_000) + "\";", "constant string too long");
    }

    @Test
    void aMethodOverSixtyFourKilobytesOfBytecodeFailsAndTheSessionKeepsItsVariables() throws Exception {
        StringBuilder method = new StringBuilder("int tooBig(int x) {\n    int s = 0;\n");
        for (int i = 0; i < 12_000; i++) {
            method.append("    s += x * ").append(i).append(" + (s >> 3);\n");
        }
        failsWithTheCompilersMessageAndTheSessionGoesOn(method.append("    return s;\n}").toString(), "code too large");
    }

    // ---- output ----

    @Test
    void outputCarriesTheCellAndThread() throws Exception {
        int cell = next();
        in.execute(cell, "System.out.println(\"plain\"); System.err.println(\"oops\");");
        assertThat(events.awaitStream(s -> s.cell() == cell && s.name().equals("stdout")
                && s.thread().equals("cell-" + cell) && s.text().contains("plain"), WAIT)).isTrue();
        assertThat(events.awaitStream(s -> s.cell() == cell && s.name().equals("stderr") && s.text().contains("oops"), WAIT)).isTrue();
    }

    @Test
    void threadOutputAfterItsCellEndedIsTaggedWithThatCell() throws Exception {
        int first = next();
        in.execute(first, """
                var gate = new CountDownLatch(1);
                Thread.ofPlatform().name("late-writer").start(() -> {
                    try { gate.await(); } catch (InterruptedException e) { }
                    System.out.println("written late");
                });
                Thread.ofVirtual().name("late-virtual").start(() -> {
                    try { gate.await(); } catch (InterruptedException e) { }
                    System.out.println("virtual late");
                });
                """);
        int second = next();
        assertThat(in.execute(second, "gate.countDown();")).isInstanceOf(ExecuteResult.Ok.class);
        assertThat(events.awaitStream(s -> s.cell() == first && s.thread().equals("late-writer")
                && s.text().contains("written late"), WAIT)).isTrue();
        assertThat(events.awaitStream(s -> s.cell() == first && s.thread().equals("late-virtual")
                && s.text().contains("virtual late"), WAIT)).isTrue();
    }

    @Test
    void poolThreadsCarryTheCellThatCreatedThem() throws Exception {
        int cell = next();
        in.execute(cell, """
                try (var pool = Executors.newFixedThreadPool(2)) {
                    pool.submit(() -> System.out.println("from pool"));
                }
                """);
        assertThat(events.awaitStream(s -> s.cell() == cell && s.thread().startsWith("pool-")
                && s.text().contains("from pool"), WAIT)).isTrue();
    }

    @Test
    void floodFromFourThreadsArrivesCompleteAndInOrder() throws Exception {
        int cell = next();
        int perThread = 25_000;
        ExecuteResult r = in.execute(cell, """
                var workers = new ArrayList<Thread>();
                for (int w = 0; w < 4; w++) {
                    int id = w;
                    workers.add(Thread.ofPlatform().name("flood-" + id).start(() -> {
                        for (int i = 0; i < %d; i++) System.out.println("flood-" + id + " " + i);
                    }));
                }
                for (Thread t : workers) t.join();
                """.formatted(perThread));
        assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
        // the reply comes after the cell's own output was flushed: all of it is here now
        Map<String, StringBuilder> byThread = new HashMap<>();
        for (RecordingEvents.Stream s : events.streams()) {
            if (s.cell() == cell && s.thread().startsWith("flood-")) {
                byThread.computeIfAbsent(s.thread(), k -> new StringBuilder()).append(s.text());
            }
        }
        assertThat(byThread).hasSize(4);
        byThread.forEach((thread, text) -> {
            String[] lines = text.toString().split("\n");
            assertThat(lines).as(thread).hasSize(perThread);
            for (int i = 0; i < lines.length; i++) {
                assertThat(lines[i]).isEqualTo(thread + " " + i);
            }
        });
    }

    @Test
    void uncaughtExceptionInAThreadIsShownWithItsName() throws Exception {
        int cell = next();
        in.execute(cell, """
                void fail() { throw new IllegalArgumentException("bad worker"); }
                Thread.ofPlatform().name("doomed-worker").start(() -> fail()).join();
                """);
        assertThat(events.awaitStream(s -> s.cell() == cell && s.name().equals("stderr")
                && s.text().contains("Exception in thread \"doomed-worker\""), WAIT)).isTrue();
        String err = events.streams().stream().filter(s -> s.cell() == cell && s.name().equals("stderr"))
                .map(RecordingEvents.Stream::text).reduce("", String::concat);
        assertThat(err).contains("IllegalArgumentException: bad worker").contains("fail(cell " + cell)
                .doesNotContain("dev.jcn.kernel");
    }

    @Test
    void childProcessOutputIsRelayed() throws Exception {
        int cell = next();
        in.execute(cell, "new ProcessBuilder(\"echo\", \"from-a-child\").inheritIO().start().waitFor()");
        assertThat(events.awaitStream(s -> s.text().contains("from-a-child"), WAIT)).isTrue();
    }

    // ---- display ----

    @Test
    void displayAndUpdateDisplay() throws Exception {
        int cell = next();
        String id = run("display(html(\"<i>first</i>\"))");
        in.execute(cell, "updateDisplay(\"" + id + "\", markdown(\"**second**\"));");
        assertThat(events.await(r -> r.displays().stream().anyMatch(d -> d.id().equals(id) && !d.update()
                && d.bundle().data().get("text/html").toString().equals("<i>first</i>")), WAIT)).isTrue();
        assertThat(events.await(r -> r.displays().stream().anyMatch(d -> d.id().equals(id) && d.update()
                && d.bundle().data().get("text/markdown").toString().equals("**second**") && d.cell() == cell), WAIT)).isTrue();
    }

    @Test
    void clearOutputReachesTheCell() throws Exception {
        int cell = next();
        in.execute(cell, "System.out.println(\"soon gone\"); clearOutput(true);");
        assertThat(events.await(r -> r.clears().contains(cell), WAIT)).isTrue();
    }

    @Test
    void tablesAndChartsRenderRichly() {
        ExecuteResult table = in.execute(next(), """
                import tech.tablesaw.api.*;
                Table.create("runs").addColumns(IntColumn.create("workers", 1, 2, 4), DoubleColumn.create("seconds", 0.8, 0.5, 0.46))
                """);
        MimeBundle t = ((ExecuteResult.Ok) table).value();
        assertThat(t.data().get("text/html").toString()).contains("<table").contains("<th>workers</th>").contains("<td>4</td>");
        ExecuteResult chart = in.execute(next(), """
                import org.knowm.xchart.*;
                QuickChart.getChart("t", "x", "y", "y(x)", new double[] {1, 2, 3}, new double[] {1, 4, 9})
                """);
        MimeBundle c = ((ExecuteResult.Ok) chart).value();
        assertThat(c.data().get("image/png").toString()).startsWith("iVBORw0KGgo");
        ExecuteResult svg = in.execute(next(), "svg(QuickChart.getChart(\"t\", \"x\", \"y\", \"y(x)\", new double[] {1, 2}, new double[] {1, 4}))");
        assertThat(((ExecuteResult.Ok) svg).value().data().get("image/svg+xml").toString()).contains("<svg");
    }

    // ---- questions while a cell runs ----

    @Test
    void completionInspectionAndCompletenessAnswerWhileACellRuns() throws Exception {
        int cell = next();
        CompletableFuture<ExecuteResult> busy = CompletableFuture.supplyAsync(
                () -> in.execute(cell, "System.out.println(\"busy\"); Thread.sleep(30_000);"));
        assertThat(events.awaitStream(s -> s.cell() == cell && s.text().contains("busy"), WAIT)).isTrue();
        long t0 = System.nanoTime();
        Completion c = in.complete("Math.ma", 7);
        assertThat(c.items()).extracting(Completion.Item::text).contains("max(");
        assertThat(c.cursorStart()).isEqualTo(5);
        Inspection i = in.inspect("Math.max(1, 2)", 6, 0);
        assertThat(i.found()).isTrue();
        assertThat(i.bundle().data().get("text/plain").toString()).contains("max(int a, int b)").contains("greater");
        assertThat(in.isComplete("for (int i = 0; i < 3; i++) {").status()).isEqualTo("incomplete");
        assertThat(in.isComplete("int x = 1;").status()).isEqualTo("complete");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        in.interrupt();
        assertThat(failed(busy.get(10, TimeUnit.SECONDS)).ename()).isEqualTo("Interrupted");
    }

    // ---- interrupts ----

    private record Stop(ExecuteResult.Failed result, Duration latency) {}

    /**
     * Runs {@code code}, which prints "started" and then blocks; interrupts it once it started. The
     * print and the blocking call are one snippet (a block), so that the interrupt cannot fall
     * between two snippets, where the stop check at the next snippet's entry would end the cell.
     */
    private Stop interrupt(int cell, String code) throws Exception {
        CompletableFuture<ExecuteResult> run = CompletableFuture.supplyAsync(() -> in.execute(cell, code));
        assertThat(events.awaitStream(s -> s.cell() == cell && s.text().contains("started"), WAIT))
                .as("cell %d started", cell).isTrue();
        long t0 = System.nanoTime();
        in.interrupt();
        ExecuteResult r = run.get(10, TimeUnit.SECONDS);
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        ExecuteResult.Failed f = failed(r);
        assertThat(f.ename()).as("%s", f).isEqualTo("Interrupted");
        assertThat(latency).isLessThan(Duration.ofMillis(1500));
        return new Stop(f, latency);
    }

    private void assertNoThreadOfCellAlive(int cell) {
        assertThat(run("Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(\"cell-" + cell
                + "\") || t.getName().endsWith(\"-of-" + cell + "\")).count()")).isEqualTo("0");
    }

    @Test
    void interruptStopsACpuLoopInTheCell() throws Exception {
        Stop s = interrupt(next(), "{ System.out.println(\"started\"); long n = 0; while (true) { n++; } }");
        assertThat(s.result().evalue()).contains("step 1");
        assertThat(run("1 + 1")).isEqualTo("2");
    }

    @Test
    void interruptStopsASleep() throws Exception {
        Stop s = interrupt(next(), "{ System.out.println(\"started\"); Thread.sleep(60_000); }");
        assertThat(s.result().evalue()).contains("step 1");
    }

    @Test
    void interruptStopsAWaitOnALockHeldByAnotherCellsThread() throws Exception {
        in.execute(next(), """
                var held = new java.util.concurrent.locks.ReentrantLock();
                var taken = new CountDownLatch(1);
                Thread.ofPlatform().name("lock-holder").start(() -> {
                    held.lock(); taken.countDown();
                    while (true) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } }
                });
                taken.await();
                """);
        Stop s = interrupt(next(), "{ System.out.println(\"started\"); held.lock(); }");
        assertThat(s.result().evalue()).as("%s", s.result()).contains("step 2");
        assertThat(run("1 + 1")).isEqualTo("2");
    }

    @Test
    void interruptStopsALoopInsideLibraryCode() throws Exception {
        int cell = next();
        Stop s = interrupt(cell, "{ System.out.println(\"started\"); new BigInteger(\"3\").pow(60_000_000); }");
        assertThat(s.result().evalue()).as("%s", s.result()).contains("step 2");
        assertNoThreadOfCellAlive(cell);
    }

    @Test
    void interruptStopsAJoinOnASpinningThreadAndTheThreadToo() throws Exception {
        int cell = next();
        interrupt(cell, """
                var spinner = Thread.ofPlatform().name("spinner-of-%d").start(() -> {
                    while (true) { new BigInteger("3").pow(200_000); }
                });
                { System.out.println("started"); spinner.join(); }
                """.formatted(cell));
        in.execute(next(), "Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(\"spinner-of-" + cell + "\")).forEach(t -> { try { t.join(5000); } catch (InterruptedException e) { } })");
        assertNoThreadOfCellAlive(cell);
    }

    @Test
    void interruptStopsACellPrintingForever() throws Exception {
        interrupt(next(), "{ System.out.println(\"started\"); while (true) System.out.println(\"more and more output\"); }");
        assertThat(run("1 + 1")).isEqualTo("2");
    }

    @Test
    void backgroundThreadsOfOtherCellsSurviveAnInterrupt() throws Exception {
        int owner = next();
        in.execute(owner, """
                var ticks = new AtomicLong();
                var keeper = Thread.ofPlatform().daemon().name("keeper").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) ticks.incrementAndGet();
                });
                """);
        interrupt(next(), "{ System.out.println(\"started\"); Thread.sleep(60_000); }");
        assertThat(run("keeper.isAlive()")).isEqualTo("true");
        ok("keeper.interrupt(); keeper.join(5000);");
    }

    @RepeatedTest(3)
    void interruptStopsAParallelStreamInTheCommonPool() throws Exception {
        // 8 endless tasks for the caller and one or more workers: most wait in the pool's queues when the
        // interrupt comes, and must end when they are taken, after the cell itself has ended.
        interrupt(next(), "{ System.out.println(\"started\"); IntStream.range(0, 8).parallel().forEach(i -> { long n = 0; while (true) { n++; } }); }");
        // the workers end their tasks; wait (bounded) until none of them is busy (an idle worker may
        // scan for work a moment before it parks)
        String busy = """
                Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("ForkJoinPool.commonPool") && t.getState() == Thread.State.RUNNABLE).count()
                """;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String count = run(busy);
        while (!count.equals("0") && System.nanoTime() < deadline) {
            count = run(busy);
        }
        assertThat(count).isEqualTo("0");
        // lambdas are cell code with stop checks: the pool runs them again for later cells
        assertThat(run("IntStream.range(0, 1000).parallel().map(i -> i * 2).sum()")).isEqualTo("999000");
        assertThat(run("java.util.concurrent.CompletableFuture.supplyAsync(() -> 6 * 7).get()")).isEqualTo("42");
    }

    @Test
    void aPoolMadeByAnInterruptedCellStillServesLaterCells() throws Exception {
        ok("var survivor = Executors.newFixedThreadPool(2);");
        interrupt(next(), "{ survivor.submit(() -> 1).get(); System.out.println(\"started\"); Thread.sleep(60_000); }");
        assertThat(run("survivor.submit(() -> { long s = 0; for (int i = 0; i < 1000; i++) s += i; return s; }).get()"))
                .isEqualTo("499500");
        ok("survivor.shutdownNow();");
    }

    // ---- threads, processes, stop ----

    @Test
    void threadsAndProcsAreListedAndStoppable() throws Exception {
        int cell = next();
        in.execute(cell, """
                var parked = new CountDownLatch(1);
                for (int i = 0; i < 3; i++) Thread.ofVirtual().name("parked-v" + i).start(() -> { try { parked.await(); } catch (InterruptedException e) { } });
                Thread.ofPlatform().name("busy-p").start(() -> { while (true) new BigInteger("7").pow(100_000); });
                var child = new ProcessBuilder("sleep", "300").start();
                """);
        String threads = in.threads().data().get("text/plain").toString();
        assertThat(threads).contains("parked-v0", "parked-v2", "busy-p", "virtual", "platform");
        assertThat(threads.lines().filter(l -> l.startsWith("busy-p")).findFirst().orElseThrow()).endsWith(" " + cell);
        String procs = in.procs().data().get("text/plain").toString();
        assertThat(procs).contains("sleep 300");
        long pid = Long.parseLong(run("child.pid()"));
        String stopped = in.stop("busy-p").data().get("text/plain").toString();
        assertThat(stopped).contains("busy-p");
        assertThat(run("Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(\"busy-p\"))")).isEqualTo("false");
        in.stop(Long.toString(pid));
        assertThat(ProcessHandle.of(pid).map(p -> p.onExit().join()).isPresent() || ProcessHandle.of(pid).isEmpty()).isTrue();
        in.stop("");
        assertThat(run("parked.getCount()")).isEqualTo("1");
        assertThat(in.threads().data().get("text/plain").toString()).doesNotContain("parked-v0");
    }

    @Test
    void theCommonPoolsTimerIsNoCellsThread() {
        // No other test here delays a task on the common pool: this cell's thread starts its timer.
        assertThat(run("""
                Predicate<Thread> timer = t -> t.getName().equals("ForkJoinPool.commonPool-delayScheduler");
                boolean timerBefore = Thread.getAllStackTraces().keySet().stream().anyMatch(timer);
                int delayed = ForkJoinPool.commonPool().schedule(() -> 1, 1, TimeUnit.MILLISECONDS).get();
                timerBefore + " " + delayed + " " + Thread.getAllStackTraces().keySet().stream().anyMatch(timer)
                """)).isEqualTo("false 1 true");
        assertThat(in.threads().data().get("text/plain").toString()).doesNotContain("delayScheduler");
        assertThat(in.stop("ForkJoinPool.commonPool-delayScheduler").data().get("text/plain").toString())
                .startsWith("no service or thread named");
        assertThat(run("ForkJoinPool.commonPool().schedule(() -> 2, 1, TimeUnit.MILLISECONDS).get()")).isEqualTo("2");
    }

    @Test
    void listingsRightAfterACellNeverShowItsRunner() {
        for (int i = 0; i < 200; i++) {
            int cell = next();
            assertThat(in.execute(cell, "int unused" + cell + " = " + cell + ";")).isInstanceOf(ExecuteResult.Ok.class);
            String threads = in.threads().data().get("text/plain").toString();
            assertThat(threads).as("%%threads right after cell %d", cell).doesNotContain("cell-" + cell);
        }
    }

    @Test
    void manyThreadsDoNotBreakAnything() throws Exception {
        int cell = next();
        assertThat(value(in.execute(cell, """
                var release = new CountDownLatch(1);
                var vts = new ArrayList<Thread>();
                for (int i = 0; i < 10_000; i++) vts.add(Thread.ofVirtual().start(() -> { try { release.await(); } catch (InterruptedException e) { } }));
                var pts = new ArrayList<Thread>();
                for (int i = 0; i < 200; i++) pts.add(Thread.ofPlatform().start(() -> { try { release.await(); } catch (InterruptedException e) { } }));
                // started is not yet waiting: give each thread a bounded time to reach the latch
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && Stream.concat(vts.stream(), pts.stream()).anyMatch(t -> t.getState() != Thread.State.WAITING)) Thread.yield();
                vts.size() + pts.size()
                """))).isEqualTo("10200");
        String listing = in.threads().data().get("text/plain").toString();
        assertThat(listing).contains("cell " + cell + ", virtual, WAITING: 10000").contains("cell " + cell + ", platform, WAITING: 200");
        assertThat(run("release.countDown(); for (Thread t : vts) t.join(); for (Thread t : pts) t.join(); 1")).isEqualTo("1");
    }

    // ---- crashes ----

    private void assertRestartedAndServing(ExecuteResult.Failed f, String what) {
        assertThat(f.ename()).isEqualTo("UserJvmExited");
        assertThat(f.evalue()).contains(what).contains("restarted");
        assertThat(run("List.of(1, 2).size() + new AtomicInteger(1).get()")).isEqualTo("3");
    }

    @Test
    void systemExitIsSurvived() {
        long before = Long.parseLong(run("ProcessHandle.current().pid()"));
        int cell = next();
        assertRestartedAndServing(failed(in.execute(cell, "System.out.println(\"bye\"); System.exit(3);")), "System.exit(3)");
        assertThat(Long.parseLong(run("ProcessHandle.current().pid()"))).isNotEqualTo(before);
        assertThat(events.streams()).anySatisfy(s -> assertThat(s.text()).contains("bye"));
    }

    @Test
    void haltIsSurvived() {
        assertRestartedAndServing(failed(in.execute(next(), "Runtime.getRuntime().halt(7);")), "status 7");
    }

    @Test
    void outOfMemoryIsSurvived() {
        assertRestartedAndServing(failed(in.execute(next(),
                "var hog = new ArrayList<long[]>(); while (true) hog.add(new long[10_000_000]);")), "out of memory");
    }

    @Test
    void killedFromOutsideIsSurvived() throws Exception {
        long pid = Long.parseLong(run("ProcessHandle.current().pid()"));
        int cell = next();
        CompletableFuture<ExecuteResult> run = CompletableFuture.supplyAsync(
                () -> in.execute(cell, "System.out.println(\"started\"); Thread.sleep(60_000);"));
        assertThat(events.awaitStream(s -> s.cell() == cell && s.text().contains("started"), WAIT)).isTrue();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertRestartedAndServing(failed(run.get(20, TimeUnit.SECONDS)), "signal 9");
    }

    @Test
    void stackOverflowKeepsTheSession() {
        ok("int kept = 41;");
        int cell = next();
        ExecuteResult.Failed f = failed(in.execute(cell, "int down(int n) { return down(n + 1) + 1; }\ndown(0)"));
        assertThat(f.ename()).isEqualTo("java.lang.StackOverflowError");
        assertThat(f.traceback().size()).isLessThan(60);
        assertThat(run("kept + 1")).isEqualTo("42");
    }

    // ---- start-up ----

    @Test
    void cellsRightAfterStartGetTheirOwnValues() {
        // the first cells come as the session opens and the warm-up may begin: their values stay their own
        // (ShellSessionTest runs cells during a warm-up that never yields)
        try (UserJvmInterpreter fresh = new UserJvmInterpreter(new RecordingEvents())) {
            fresh.start();
            for (int i = 0; i < 30; i++) {
                ExecuteResult r = fresh.execute(i + 1, i + " + 1000");
                assertThat(r).isEqualTo(new ExecuteResult.Ok(MimeBundle.text(Integer.toString(i + 1000))));
            }
        }
    }

    // ---- close ----

    @Test
    void closeLeavesNoProcessBehind() throws Exception {
        RecordingEvents own = new RecordingEvents();
        List<ProcessHandle> tree = new ArrayList<>();
        try (UserJvmInterpreter other = new UserJvmInterpreter(own)) {
            other.start();
            ExecuteResult r = other.execute(1, """
                    var p = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300").start();
                    ProcessHandle.current().pid()
                    """);
            assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
            ProcessHandle jvm = ProcessHandle.of(Long.parseLong(((ExecuteResult.Ok) r).value().text())).orElseThrow();
            tree.add(jvm);
            // the shell's own child (the backgrounded sleep) may take a moment to appear
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jvm.descendants().count() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            tree.addAll(jvm.descendants().toList());
            assertThat(tree).hasSizeGreaterThanOrEqualTo(4);
        }
        for (ProcessHandle p : tree) {
            p.onExit().get(10, TimeUnit.SECONDS);
            assertThat(p.isAlive()).as("pid %d", p.pid()).isFalse();
        }
    }
}
