package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Completion with kinds and signatures, and inspection with rendered javadoc, on a real session. */
class EditingTest {

    private static ShellSession session;

    @BeforeAll
    static void open() throws Exception {
        session = ShellSession.open(CellClassPath.ofThisJvm(), ShellSession.STANDARD_IMPORTS);
        run(1, "ExecutorService ex = Executors.newSingleThreadExecutor();");
        run(2, "var counts = new HashMap<String, Integer>();");
        run(3, """
                /** Squares {@code x}, as in <i>x times x</i>. */
                int square(int x) { return x * x; }
                """);
        run(4, "record Point(int x, int y) {}");
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** Runs a cell on a thread of its own, as the user JVM does. */
    private static void run(int cell, String code) throws Exception {
        assertThat(start(cell, code).get(60, TimeUnit.SECONDS)).isInstanceOf(Reply.CellDone.class);
    }

    private static CompletableFuture<Reply> start(int cell, String code) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            Cells.enter(cell);
            try {
                reply.complete(session.execute(cell, code));
            } catch (Throwable e) {
                reply.completeExceptionally(e);
            } finally {
                Cells.release(cell);
            }
        });
        return reply;
    }

    private static List<Reply.Candidate> complete(String code) {
        Reply.Completions c = session.complete(code, code.length());
        return c.candidates();
    }

    private static Reply.Candidate only(String code, String label) {
        return complete(code).stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError(label + " not among " + complete(code)));
    }

    @Test
    void overloadsAreDistinctEntriesThatInsertTheSameText() {
        List<Reply.Candidate> submit = complete("ex.sub");
        assertThat(submit).extracting(Reply.Candidate::label)
                .containsExactly("submit(Runnable task)", "submit(Callable<T> task)", "submit(Runnable task, T result)");
        assertThat(submit).allSatisfy(c -> {
            assertThat(c.text()).isEqualTo("submit(");
            assertThat(c.kind()).isEqualTo("method");
        });
        assertThat(submit).extracting(Reply.Candidate::signature)
                .containsExactly("Future<?> submit(Runnable task)", "<T> Future<T> submit(Callable<T> task)",
                        "<T> Future<T> submit(Runnable task, T result)");
        assertThat(session.complete("ex.sub", 6).start()).isEqualTo(3);
    }

    @Test
    void cellDeclarationsCompleteWithTheirDeclaredTypes() {
        assertThat(only("coun", "counts")).isEqualTo(new Reply.Candidate("counts", "counts", "variable",
                "HashMap<String, Integer> counts"));
        assertThat(only("squ", "square(int x)")).isEqualTo(new Reply.Candidate("square(", "square(int x)", "method",
                "int square(int x)"));
        assertThat(only("Poi", "Point")).isEqualTo(new Reply.Candidate("Point", "Point", "class", "record Point"));
    }

    @Test
    void everyKindIsNamed() {
        assertThat(only("Thread.Buil", "Builder").kind()).isEqualTo("interface");
        assertThat(only("ThreadFac", "ThreadFactory")).isEqualTo(new Reply.Candidate("ThreadFactory", "ThreadFactory",
                "interface", "interface java.util.concurrent.ThreadFactory"));
        assertThat(only("Threa", "Thread").kind()).isEqualTo("class");
        assertThat(only("TimeUni", "TimeUnit").kind()).isEqualTo("enum");
        assertThat(only("Integer.MAX_VA", "MAX_VALUE")).isEqualTo(new Reply.Candidate("MAX_VALUE", "MAX_VALUE", "field",
                "int MAX_VALUE"));
        assertThat(packagesOnceIndexed("java.util.con")).contains(new Reply.Candidate("concurrent.", "concurrent", "package",
                "package java.util.concurrent"));
        assertThat(only("whil", "while").kind()).isEqualTo("keyword");
        assertThat(only("Math.ma", "max(int a, int b)").signature()).isEqualTo("int max(int a, int b)");
        assertThat(only("ex.shut", "shutdown()")).isEqualTo(new Reply.Candidate("shutdown()", "shutdown()", "method",
                "void shutdown()"));
    }

    /** JShell completes packages from an index it builds in the background after the first completion. */
    private static List<Reply.Candidate> packagesOnceIndexed(String code) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Reply.Candidate> found = complete(code);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            found = complete(code);
        }
        return found;
    }

    @Test
    void javadocOfAJdkMethodIsRenderedFromItsCommentTree() {
        Reply.Documentation d = session.inspect("Thread.ofVirtual()", 18);
        assertThat(d.markdown()).startsWith("```java\nstatic Thread.Builder.OfVirtual Thread.ofVirtual()\n```\n\n")
                .contains("Returns a builder for creating a virtual `Thread` or `ThreadFactory`")
                .contains("**API Note:** The following are examples using the builder:")
                .contains("```java\n// Start a virtual thread to run a task.\nThread thread = Thread.ofVirtual().start(runnable);")
                .contains("- **Returns:** A builder for creating `Thread` or `ThreadFactory` objects.")
                .contains("- **Since:** 21")
                .doesNotContain("{@", "@apiNote", "@return", "<p>");
        assertThat(d.plain()).startsWith("static Thread.Builder.OfVirtual Thread.ofVirtual()\n\nReturns a builder")
                .contains("    Thread thread = Thread.ofVirtual().start(runnable);")
                .doesNotContain("{@", "`", "**", "@apiNote");
    }

    @Test
    void everyOverloadIsDocumentedAtAnOpenCall() {
        Reply.Documentation d = session.inspect("ex.submit(", 10);
        assertThat(d.markdown()).contains("Future<?> ExecutorService.submit(Runnable task)",
                "<T> Future<T> ExecutorService.submit(Callable<T> task)",
                "- **Parameter** `task`: the task to submit");
    }

    @Test
    void aCellMethodShowsItsCommentAndSource() {
        Reply.Documentation d = session.inspect("square(3)", 2);
        assertThat(d.markdown()).startsWith("```java\nint square(int x)\n```\n\nSquares `x`, as in *x times x*.")
                .contains("declared in cell 3:\n\n```java\n/** Squares {@code x}, as in <i>x times x</i>. */\nint square(int x) { return x * x; }\n```");
        assertThat(d.plain()).contains("Squares x, as in x times x.").contains("declared in cell 3:");
        assertThat(session.inspect("counts", 3).plain()).isEqualTo("HashMap<String, Integer> counts\n\ndeclared in cell 2");
    }

    /**
     * Questions run beside a cell only while its user code runs (JShell has compiled and loaded the
     * snippet and waits for it to return); while JShell compiles they wait, bounded, and answer
     * nothing. Here a cell alternates between declaring and running for a while, and every answer
     * given meanwhile must be right: each name a declared variable with its type, the javadoc whole.
     */
    @Test
    void answersGivenWhileACellDeclaresAndRunsAreRight() throws Exception {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            code.append("int step").append(i).append(" = ").append(i).append(";\nThread.sleep(40);\n");
        }
        CompletableFuture<Reply> cell = start(20, code.toString());
        int completions = 0;
        int docs = 0;
        while (!cell.isDone()) {
            List<Reply.Candidate> steps = complete("step");
            assertThat(steps).allSatisfy(c -> {
                assertThat(c.label()).matches("step\\d+");
                assertThat(c.kind()).isEqualTo("variable");
                assertThat(c.signature()).isEqualTo("int " + c.label());
            });
            completions += steps.isEmpty() ? 0 : 1;
            Reply.Documentation d = session.inspect("Thread.sleep(", 13);
            if (!d.markdown().isEmpty()) {
                assertThat(d.markdown()).startsWith("```java\nstatic void Thread.sleep(long millis)\n```")
                        .contains("- **Throws** `InterruptedException`");
                docs++;
            }
        }
        assertThat(cell.get(60, TimeUnit.SECONDS)).isInstanceOf(Reply.CellDone.class);
        assertThat(completions).as("completions answered while the cell ran").isPositive();
        assertThat(docs).as("inspections answered while the cell ran").isPositive();
        assertThat(complete("step")).hasSize(25);
    }

    @Test
    void aFieldAndAClassAreDocumented() {
        assertThat(session.inspect("Integer.MAX_VALUE", 10).markdown())
                .startsWith("```java\nstatic final int Integer.MAX_VALUE\n```\n\nA constant holding the maximum value");
        assertThat(session.inspect("CountDownLatch", 3).markdown())
                .startsWith("```java\nclass java.util.concurrent.CountDownLatch\n```\n\nA synchronization aid");
    }
}
