package dev.jcn.kernel.execution;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far an interrupt of one running cell goes, and when:
 * <ol>
 *   <li>{@link Step#STOP_CHECKS}: at once, the cell's snippet code is told to stop (a check woven into
 *       every loop and method) and its threads are interrupted;</li>
 *   <li>{@link Step#FORCED_STOP}: after {@link #FORCE_AFTER}, an error is thrown into the cell's busy
 *       threads, wherever they are (library loops, lock waits). This happens also when step 1 has ended
 *       the cell itself, because threads it started may still keep a core busy; while the cell still
 *       runs, it happens once more {@link #RETRY_FORCE} later, for a thread that was inside the VM;</li>
 *   <li>{@link Step#NEW_JVM}: if the cell still runs at {@link #NEW_JVM_AFTER}, the services are given
 *       a moment to close and the user JVM is killed; the interpreter starts a new one.</li>
 * </ol>
 *
 * <pre>{@code
 * InterruptEscalation escalation = new InterruptEscalation(7, steps, reply::isDone,
 *         (delay, step) -> timer.schedule(step, delay.toMillis(), MILLISECONDS));
 * escalation.interrupt();              // from the control thread, or the SIGINT handler
 * Step reached = escalation.reached(); // once the cell has ended
 * }</pre>
 *
 * <p>Thread safety: {@link #interrupt()} may be called from any thread, any number of times, also at
 * the same moment from two threads (a SIGINT and an {@code interrupt_request} arriving together). The
 * first call starts the escalation; every other call, concurrent or later, does nothing, so a cell gets
 * at most one step 1, one pair of step-2 attempts and one new JVM however many interrupts race. A call
 * once the cell has ended does nothing. Step 1 runs on the calling thread, the later steps on the
 * scheduler's, one at a time; {@link #reached()} and {@link #forcedThreads()} may be read from any thread.
 */
final class InterruptEscalation {

    /** The steps, in order; messages name them by their ordinal ("step 2 of 3"). */
    enum Step {
        NONE, STOP_CHECKS, FORCED_STOP, NEW_JVM
    }

    /** What each step does to the user JVM. */
    interface Steps {
        /** Step 1 for {@code cell}; returns at once. */
        void stopChecks(int cell);

        /** Step 2 for {@code cell}; returns how many threads were stopped by force. */
        int force(int cell);

        /** Step 3: ends the user JVM (its services first, briefly). */
        void replaceJvm(int cell);
    }

    /** Runs a later step after a delay, on one thread for all steps. */
    interface Scheduler {
        void after(Duration delay, Runnable step);
    }

    static final Duration FORCE_AFTER = Duration.ofMillis(250);
    static final Duration RETRY_FORCE = Duration.ofMillis(250);
    static final Duration NEW_JVM_AFTER = Duration.ofMillis(800);

    private static final Logger LOG = LoggerFactory.getLogger(InterruptEscalation.class);

    private final int cell;
    private final Steps steps;
    private final BooleanSupplier cellEnded;
    private final Scheduler scheduler;
    private final AtomicReference<Step> reached = new AtomicReference<>(Step.NONE);
    private volatile int forcedThreads;

    InterruptEscalation(int cell, Steps steps, BooleanSupplier cellEnded, Scheduler scheduler) {
        this.cell = cell;
        this.steps = steps;
        this.cellEnded = cellEnded;
        this.scheduler = scheduler;
    }

    /** Starts the escalation, unless it started already or the cell has ended. */
    void interrupt() {
        if (cellEnded.getAsBoolean() || !reached.compareAndSet(Step.NONE, Step.STOP_CHECKS)) {
            return;
        }
        steps.stopChecks(cell);
        scheduler.after(FORCE_AFTER, () -> force(true));
    }

    private void force(boolean first) {
        if (!first && cellEnded.getAsBoolean()) {
            return;
        }
        reached.set(Step.FORCED_STOP);
        int n = steps.force(cell);
        if (n > 0) {
            forcedThreads += n;
            LOG.info("forced stop of {} thread(s) of cell {}", n, cell);
        }
        if (cellEnded.getAsBoolean()) {
            return;
        }
        // A thread busy inside the VM (class loading, say) receives the error only later: try once more
        // before giving up on the JVM.
        if (first) {
            scheduler.after(RETRY_FORCE, () -> force(false));
        } else {
            scheduler.after(NEW_JVM_AFTER.minus(FORCE_AFTER).minus(RETRY_FORCE), this::replaceJvm);
        }
    }

    private void replaceJvm() {
        if (cellEnded.getAsBoolean()) {
            return;
        }
        reached.set(Step.NEW_JVM);
        LOG.warn("cell {} ignored the interrupt and the forced stop: replacing the user JVM", cell);
        steps.replaceJvm(cell);
    }

    /** The furthest step taken so far. */
    Step reached() {
        return reached.get();
    }

    /** How many threads step 2 stopped by force. */
    int forcedThreads() {
        return forcedThreads;
    }
}
