package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.Comm;
import dev.jcn.notebook.spi.CommFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs the handlers of comm messages from the frontend, each on a thread of its own that belongs to
 * the comm's home cell (the cell whose code opened it), so that what a handler prints goes where that
 * cell's threads' output goes. The kernel waits for the answer, which comes after the handlers and
 * their output: the frontend sees the kernel idle only once a message has been dealt with.
 *
 * <pre>{@code
 * handlers.opened(commId, Cells.current());              // a cell opened a comm
 * handlers.deliver(frame, reply -> outbox.answer(id, reply));
 * }</pre>
 *
 * <p>A handler's exception is printed with its trace, like an uncaught exception in a thread of that
 * cell, and the message still counts as handled. An interrupt stops the handlers like a cell ({@link #stop}).
 */
final class CommHandlers {

    private final Map<String, Integer> homes = new ConcurrentHashMap<>();
    private final Runnable flushOutput;
    /** The thread running a message's handlers, or null: the kernel delivers one message at a time. */
    private volatile Thread running;

    CommHandlers(Runnable flushOutput) {
        this.flushOutput = flushOutput;
    }

    /** Comm {@code commId} was opened by code of {@code cell}. */
    void opened(String commId, int cell) {
        homes.put(commId, cell);
    }

    /** Hands {@code frame} to {@code Comm.deliver} on a new thread; {@code done} gets the answer. */
    void deliver(CommFrame frame, Consumer<Reply> done) {
        int home = homes.getOrDefault(frame.commId(), 0);
        if (frame.kind() == CommFrame.Kind.CLOSE) {
            homes.remove(frame.commId());
        }
        Thread handler = Thread.ofPlatform().daemon().name("comm handler").unstarted(() -> {
            if (home != 0) {
                Cells.enter(home);
            }
            boolean known = true;
            try {
                known = Comm.deliver(frame);
            } catch (Throwable e) {
                Thread.getDefaultUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
            running = null;
            flushOutput.run();
            done.accept(new Reply.CommHandled(known));
        });
        running = handler;
        handler.start();
    }

    /**
     * An interrupt while handlers run: step 1 marks their thread stopped (its snippet code throws at the
     * next check) and interrupts it; step 2 ({@code force}) throws into it wherever it is. The cell's
     * other threads are left alone: the interrupt is the listener's.
     */
    Reply.Forced stop(boolean force) {
        Thread t = running;
        if (t == null) {
            return new Reply.Forced(0, "");
        }
        if (force) {
            return Interrupts.forceStop(t.getState() == Thread.State.RUNNABLE ? List.of(t) : List.of());
        }
        Cells.stop(t);
        t.interrupt();
        return new Reply.Forced(0, "");
    }
}
