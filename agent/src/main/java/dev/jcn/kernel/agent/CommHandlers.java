package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.Comm;
import dev.jcn.notebook.spi.CommFrame;
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
 * cell, and the message still counts as handled.
 */
final class CommHandlers {

    private final Map<String, Integer> homes = new ConcurrentHashMap<>();
    private final Runnable flushOutput;

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
        Thread.ofPlatform().daemon().name("comm handler").start(() -> {
            if (home != 0) {
                Cells.enter(home);
            }
            boolean known = true;
            try {
                known = Comm.deliver(frame);
            } catch (Throwable e) {
                Thread.getDefaultUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
            flushOutput.run();
            done.accept(new Reply.CommHandled(known));
        });
    }
}
