package dev.jcn.kernel.agent;

import dev.jcn.notebook.Service;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;

/**
 * Which cell a thread works for, and which cells have been stopped.
 *
 * <pre>{@code
 * Cells.enter(7);          // on the cell's thread; threads it starts inherit 7
 * int cell = Cells.current();
 * Cells.stop(7);           // snippet code of cell 7, in any thread, now throws CellStopped
 * Cells.release(7);        // once cell 7's own thread has ended
 * }</pre>
 *
 * <p>The cell number travels in an inheritable thread-local, so platform threads, virtual
 * threads and pool threads created by a cell's code carry it. A thread created in a
 * {@link Service}'s scope carries the service the same way, and belongs to it rather than to a cell. Snippet bytecode calls
 * {@link #check()} on every backward branch and method entry; the fast path is one volatile read.
 */
public final class Cells {

    private static final InheritableThreadLocal<Integer> CELL = new InheritableThreadLocal<>();
    /** The service a thread works for; it wins over the cell, which such a thread may also have inherited. */
    private static final InheritableThreadLocal<Service<?>> SERVICE = new InheritableThreadLocal<>();
    private static final Set<Integer> STOPPED = ConcurrentHashMap.newKeySet();
    private static final Set<Thread> STOPPED_THREADS = ConcurrentHashMap.newKeySet();
    private static volatile boolean anyStopped;
    /**
     * The running cell is being stopped: snippet code in threads that belong to no cell stops too.
     * Such threads are the common fork-join pool's (parallel streams, {@code supplyAsync}); what
     * they run in snippet code is the running cell's work. The JDK starts the common pool's workers
     * without inherited thread-locals, so a worker carries no cell: whose tasks it runs changes from
     * one task to the next.
     *
     * <p>The mark outlives the cell's own thread: the cell's tasks may still wait in the pool's
     * queues, or a worker may not have been scheduled since the interrupt. It ends when the common
     * pool has drained ({@link #settleCommonPool}), before the next cell's code runs.
     */
    private static volatile int stoppedRunningCell;

    private Cells() {}

    /** Marks the calling thread as the thread of {@code cell}. */
    public static void enter(int cell) {
        CELL.set(cell);
    }

    /** The cell whose code started the calling thread, 0 when none did or the thread works for a service. */
    public static int current() {
        Integer cell = CELL.get();
        return cell == null || SERVICE.get() != null ? 0 : cell;
    }

    /** The service the calling thread works for, or null. */
    public static Service<?> currentService() {
        return SERVICE.get();
    }

    /** Runs {@code code} so that the threads it creates belong to {@code service}; see {@link Service}. */
    public static <R> R inService(Service<?> service, Callable<R> code) throws Exception {
        Service<?> before = SERVICE.get();
        SERVICE.set(service);
        try {
            return code.call();
        } finally {
            SERVICE.set(before);
        }
    }

    /** The thread-local of the cell, so the census can read it from other threads. */
    static InheritableThreadLocal<Integer> cellThreadLocal() {
        return CELL;
    }

    /** The thread-local of the service, so the census can read it from other threads. */
    static InheritableThreadLocal<Service<?>> serviceThreadLocal() {
        return SERVICE;
    }

    /**
     * Until {@link #release}, snippet code running for {@code cell} throws {@link CellStopped}. The
     * mark is temporary because threads keep their cell for life: a pool created by an interrupted
     * cell must still run the tasks later cells give it. Threads alive at the interrupt are stopped
     * for good with {@link #stop(Thread)}.
     */
    public static synchronized void stop(int cell) {
        STOPPED.add(cell);
        anyStopped = true;
    }

    /** Like {@link #stop(int)} for the cell that is running now; also stops cell-less threads. */
    public static synchronized void stopRunning(int cell) {
        stoppedRunningCell = cell;
        stop(cell);
    }

    /**
     * Ends the cell-wide mark of {@link #stop(int)}; called when the cell's own thread is done. The
     * mark on common-pool work ends too if the pool has nothing left to run.
     */
    public static synchronized void release(int cell) {
        if (stoppedRunningCell == cell && commonPoolDrained()) {
            stoppedRunningCell = 0;
        }
        if (STOPPED.remove(cell)) {
            STOPPED_THREADS.removeIf(t -> !t.isAlive());
        }
        updateAnyStopped();
    }

    /** The fast-path flag of {@link #check()}: whether any mark of any kind is set. Call holding the lock. */
    private static void updateAnyStopped() {
        anyStopped = !STOPPED.isEmpty() || !STOPPED_THREADS.isEmpty() || stoppedRunningCell != 0;
    }

    /** Whether snippet code in the common pool is being stopped for an interrupted cell. */
    public static boolean stoppingCommonPool() {
        return stoppedRunningCell != 0;
    }

    /**
     * Waits, at most {@code maxWait}, until the common pool has run or dropped the tasks of an
     * interrupted cell (they end at their first stop check), then lets common-pool snippet code run
     * again. Called before a cell's code runs, so the next cell's parallel streams are not stopped.
     * Returns whether the pool drained; after {@code maxWait} the mark ends anyway (work stuck in
     * library code is the forced stop's to end).
     */
    public static boolean settleCommonPool(Duration maxWait) {
        int stopping = stoppedRunningCell;
        if (stopping == 0) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean drained;
        while (!(drained = commonPoolDrained()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        synchronized (Cells.class) {
            if (stoppedRunningCell == stopping) { // not a newer interrupt's mark
                stoppedRunningCell = 0;
                updateAnyStopped();
            }
        }
        return drained;
    }

    private static boolean commonPoolDrained() {
        ForkJoinPool pool = ForkJoinPool.commonPool();
        return pool.isQuiescent() && !pool.hasQueuedSubmissions() && pool.getQueuedTaskCount() == 0;
    }

    /** Whether {@code thread} is a worker of the common fork-join pool (it belongs to no cell). */
    public static boolean isCommonPoolWorker(Thread thread) {
        return thread instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool();
    }

    /** From now on snippet code running in {@code thread} throws {@link CellStopped}. */
    public static synchronized void stop(Thread thread) {
        STOPPED_THREADS.removeIf(t -> !t.isAlive());
        STOPPED_THREADS.add(thread);
        anyStopped = true;
    }

    /** Whether {@code cell} is being stopped. */
    public static boolean isStopped(int cell) {
        return anyStopped && STOPPED.contains(cell);
    }

    /** Whether the calling thread should stop: its cell is being stopped, or it was stopped itself. */
    public static boolean currentIsStopped() {
        if (!anyStopped) {
            return false;
        }
        Integer cell = SERVICE.get() == null ? CELL.get() : null;
        return (cell != null && STOPPED.contains(cell)) || STOPPED_THREADS.contains(Thread.currentThread());
    }

    /** The cell whose stop stops the calling thread; null for cell-less and common-pool threads. */
    private static Integer stoppableCell() {
        if (isCommonPoolWorker(Thread.currentThread())) {
            return null;
        }
        return CELL.get();
    }

    /**
     * Called from instrumented snippet code: throws when the running thread's cell was stopped. A
     * service's thread stops only when it was stopped itself: no cell's interrupt reaches it.
     */
    public static void check() {
        if (anyStopped) {
            if (SERVICE.get() != null) {
                if (STOPPED_THREADS.contains(Thread.currentThread())) {
                    throw new CellStopped(0);
                }
                return;
            }
            Integer cell = stoppableCell();
            if (cell != null && STOPPED.contains(cell)) {
                throw new CellStopped(cell);
            }
            int running = stoppedRunningCell;
            if (cell == null && running != 0) {
                throw new CellStopped(running);
            }
            if (!STOPPED_THREADS.isEmpty() && STOPPED_THREADS.contains(Thread.currentThread())) {
                throw new CellStopped(cell == null ? 0 : cell);
            }
        }
    }
}
