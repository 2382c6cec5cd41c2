package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's part of an interrupt: steps 1 and 2, which the kernel asks for in turn (it decides
 * when, and takes step 3, a new user JVM, itself). A service's threads are never touched: they belong
 * to no cell.
 *
 * <pre>{@code
 * interrupts.stopChecks(7);             // step 1
 * Reply.Forced r = interrupts.force(7); // step 2, 250 ms later if the cell still runs
 * }</pre>
 */
final class Interrupts {

    private final CellRuns runs;
    private final Supplier<ShellSession> session;

    Interrupts(CellRuns runs, Supplier<ShellSession> session) {
        this.runs = runs;
        this.session = session;
    }

    /**
     * Step one: stop checks for the cell's snippet code, and {@code Thread.interrupt} for its
     * threads. Threads of the cell that are busy right now are marked for good; idle ones (a pool's
     * parked workers) only get the interrupt, so a pool made by this cell keeps serving later cells.
     */
    void stopChecks(int cell) {
        Thread cellThread = runs.threadOf(cell);
        if (cellThread != null) {
            Cells.stopRunning(cell);
            cellThread.interrupt();
            if (!runs.isRunning(cell)) {
                Cells.release(cell); // it ended meanwhile, and will not release the mark itself
            }
        }
        for (ThreadCensus.Entry e : runs.userThreads()) {
            Thread t = e.thread();
            // Common-pool workers inherit no cell, so they are not among these: their snippet code stops
            // through the cell-wide mark.
            if (e.cell() == cell && t != cellThread) {
                Thread.State state = t.getState();
                if (state == Thread.State.RUNNABLE || state == Thread.State.BLOCKED) {
                    Cells.stop(t);
                }
                t.interrupt();
            }
        }
    }

    /**
     * Step two: throws an error into the cell's threads that are still busy, wherever they are
     * (library loops, lock waits); virtual ones while they are on a carrier. The cell thread is
     * stopped only while it runs user code: stopping JShell or the compiler midway could break the
     * session; once it is back in user code, the woven stop checks end it anyway. Background threads
     * are stopped only when runnable, since only they burn CPU.
     */
    Reply.Forced force(int cell) {
        List<Thread> targets = new ArrayList<>();
        Thread cellThread = runs.threadOf(cell);
        ShellSession s = session.get();
        if (cellThread != null && cellThread.isAlive() && s != null && s.inUserCode()) {
            targets.add(cellThread);
        }
        for (ThreadCensus.Entry e : runs.userThreads()) {
            Thread t = e.thread();
            if (e.cell() == cell && t != cellThread && t.getState() == Thread.State.RUNNABLE) {
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
        return forceStop(targets);
    }

    private static boolean runsSnippetCode(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (SnippetLoader.isSnippetClass(f.getClassName())) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link CellStopped#FORCED} into each of {@code targets}; counts those it reached. */
    static Reply.Forced forceStop(List<Thread> targets) {
        ForcedStop.clearForDebugger();
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
        return new Reply.Forced(stopped, problem);
    }
}
