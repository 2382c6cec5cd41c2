package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.AgentLaunch;
import dev.jcn.kernel.wire.Reply;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cell runs on a thread that was started before the cell was asked for, and that thread is new for
 * every cell: named after its cell, with the snippets' class loader as its context loader, and without
 * the thread-local values of an earlier cell.
 */
class CellRunsTest {

    private ShellSession session;

    @BeforeEach
    void open() {
        session = ShellSession.open(CellClassPath.ofThisJvm(), ShellSession.STANDARD_IMPORTS);
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void theKernelNamesTheIdleCellThreadByTheseNames() {
        // the kernel's debugger leaves this thread out of its list, by class and thread name (it cannot see CellRuns)
        assertThat(CellRuns.CellThread.class.getName()).isEqualTo(AgentLaunch.CELL_THREAD_CLASS);
        assertThat(CellRuns.CellThread.WAITING).isEqualTo(AgentLaunch.IDLE_CELL_THREAD);
    }

    @Test
    void eachCellRunsOnAFreshThreadStartedBeforeItWasAskedFor() throws Exception {
        Set<Thread> before = waitingCellThreads();
        CellRuns runs = new CellRuns(new ProcessCensus(), () -> { });
        Thread first = newWaitingCellThread(before);
        assertThat(first.isAlive()).isTrue();

        String one = run(runs, 1, """
                ThreadLocal<String> local = new ThreadLocal<>();
                local.set("set by cell 1");
                Thread t = Thread.currentThread();
                local.get() + " " + t.getName() + " " + t.threadId() + " " + t.getContextClassLoader().getName()""");

        assertThat(one).contains("set by cell 1 cell-1 " + first.threadId() + " snippets");
        Thread second = newWaitingCellThread(before);
        assertThat(second).isNotSameAs(first);
        assertThat(second.isAlive()).isTrue();

        String two = run(runs, 2, "local.get() + \" \" + Thread.currentThread().getName() + \" \" + Thread.currentThread().threadId()");

        assertThat(two).contains("null cell-2 " + second.threadId());
    }

    private String run(CellRuns runs, int cell, String code) throws Exception {
        CompletableFuture<Reply> done = new CompletableFuture<>();
        runs.start(cell, code, session, done::complete);
        Reply reply = done.get(60, TimeUnit.SECONDS);
        assertThat(reply).isInstanceOf(Reply.CellDone.class);
        return ((Reply.CellDone) reply).value().text();
    }

    /** Cell threads alive now that wait for their cell. */
    private static Set<Thread> waitingCellThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t instanceof CellRuns.CellThread && t.getName().equals(CellRuns.CellThread.WAITING)).toList());
    }

    /** The one cell thread waiting for its cell that is not among {@code others}. */
    private static Thread newWaitingCellThread(Set<Thread> others) {
        List<Thread> added = waitingCellThreads().stream().filter(t -> !others.contains(t)).toList();
        assertThat(added).hasSize(1);
        return added.get(0);
    }
}
