package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.AgentLaunch;
import dev.jcn.kernel.wire.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The life of each cell in the user JVM: a thread of its own runs it, marked with the cell's number
 * (inherited by every thread its code starts), and answers the kernel once the cell is done.
 *
 * <pre>{@code
 * runs.start(3, "Thread.sleep(100)", session, reply -> outbox.answer(id, reply));
 * Thread t = runs.threadOf(3);     // while it runs
 * }</pre>
 *
 * <p>A cell's own output is sent before its reply, so the kernel has all of it when the cell ends.
 */
final class CellRuns {

    /** How long a cell waits for an interrupted cell's tasks to leave the common pool. */
    private static final Duration COMMON_POOL_SETTLE = Duration.ofSeconds(1);

    /**
     * The thread that runs one cell's snippets; it lives on briefly after its reply. It is started
     * before its cell is asked for and waits for it, so that a cell does not wait for a thread's start
     * (a millisecond on a busy machine); it is still a new thread for every cell, made by the same
     * thread as before, so it inherits the same and no thread-local values of an earlier cell.
     */
    static final class CellThread extends Thread {
        /**
         * The name of a cell thread while it waits for its cell; the kernel's debugger leaves a thread of this
         * class with this name out of its thread list.
         */
        static final String WAITING = AgentLaunch.IDLE_CELL_THREAD;

        private final CompletableFuture<Runnable> body = new CompletableFuture<>();

        private CellThread() {
            super(WAITING);
            setDaemon(true);
        }

        /** A cell thread, started and waiting for {@link #begin}. */
        static CellThread waiting() {
            CellThread t = new CellThread();
            t.start();
            return t;
        }

        /** Runs {@code cell}'s {@code code} on this thread, with {@code loader} as its context class loader. */
        void begin(int cell, ClassLoader loader, Runnable code) {
            setName("cell-" + cell);
            setContextClassLoader(loader);
            body.complete(code);
        }

        @Override
        public void run() {
            body.join().run();
        }
    }

    private final Map<Integer, Thread> running = new ConcurrentHashMap<>();
    private final ProcessCensus processes;
    private final Runnable flushOutput;
    private volatile Thread current;
    private final CountDownLatch firstCell = new CountDownLatch(1);
    private final CountDownLatch firstCellAnswered = new CountDownLatch(1);

    /** The thread of the next cell; only the thread that calls {@link #start} uses it. */
    private CellThread next;

    /** Call on the thread that will start the cells: their threads are made by it. */
    CellRuns(ProcessCensus processes, Runnable flushOutput) {
        this.processes = processes;
        this.flushOutput = flushOutput;
        this.next = CellThread.waiting();
    }

    /**
     * Runs {@code code} as cell {@code cell} on a new thread; {@code done} gets its outcome. Call from
     * one thread, the one that made this object.
     */
    void start(int cell, String code, ShellSession session, Consumer<Reply> done) {
        firstCell.countDown();
        CellThread t = next;
        Runnable body = () -> {
            // An interrupted cell's tasks may still be leaving the common pool; they must not take
            // this cell's parallel streams down with them.
            Cells.settleCommonPool(COMMON_POOL_SETTLE);
            Cells.enter(cell);
            Reply outcome;
            try {
                outcome = session.execute(cell, code);
            } catch (CellStopped stopped) {
                outcome = new Reply.CellInterrupted(stopped == CellStopped.FORCED);
            } catch (Throwable e) {
                outcome = new Reply.CellFailed(e.getClass().getName(), String.valueOf(e.getMessage()), List.of(e.toString()));
            }
            current = null;
            running.remove(cell);
            Cells.release(cell);
            flushOutput.run();
            done.accept(outcome);
            firstCellAnswered.countDown();
        };
        processes.cellStarted(cell);
        running.put(cell, t);
        current = t;
        t.begin(cell, session.classLoader(), body);
        next = CellThread.waiting();
    }

    /** The thread running {@code cell}, or null once it is done. */
    Thread threadOf(int cell) {
        return running.get(cell);
    }

    /** Whether {@code cell} is still running. */
    boolean isRunning(int cell) {
        return running.containsKey(cell);
    }

    /** The thread of the cell running now, or null. */
    Thread current() {
        return current;
    }

    /** Whether a cell runs or ever ran: the warm-up then leaves JShell to the cells. */
    boolean anyStarted() {
        return firstCell.getCount() == 0;
    }

    /** Waits at most {@code wait} until the first cell has been answered; returns whether it has. */
    boolean awaitFirstAnswer(Duration wait) throws InterruptedException {
        return firstCellAnswered.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits at most {@code wait} for the first cell; returns whether one has started. */
    boolean awaitFirstCell(Duration wait) throws InterruptedException {
        return firstCell.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Threads of cells and services, without the threads of cells that are done: such a thread has
     * replied but may not have ended yet, and it is no user thread to list, interrupt or stop.
     */
    List<ThreadCensus.Entry> userThreads() {
        List<ThreadCensus.Entry> all = ThreadCensus.userThreads();
        all.removeIf(e -> e.thread() instanceof CellThread && !running.containsValue(e.thread()));
        return all;
    }
}
