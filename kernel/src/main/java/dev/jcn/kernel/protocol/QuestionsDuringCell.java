package dev.jcn.kernel.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * Lets the shell answer questions while a cell runs. The cell runs on a thread of its own; the shell
 * thread, the only one that reads the shell socket, keeps reading it meanwhile: completion,
 * inspection, completeness, history and kernel info are answered at once, while every other request
 * (the next cells, shutdown, comms) waits, in arrival order, until the cell has ended, exactly as it
 * would have waited in the socket.
 *
 * <pre>{@code
 * ExecuteResult r = questions.runCell(() -> runner.run(...), question -> answer(question));
 * Message next = questions.nextHeld();   // requests that arrived meanwhile, before reading the socket again
 * }</pre>
 *
 * <p>The shell thread waits on the socket and on the end of the cell together: the cell's thread
 * wakes it as it ends, so the reply goes out at once, neither held back until the next look at the
 * socket nor costing the kernel wake-ups while a long cell runs.
 */
final class QuestionsDuringCell implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuestionsDuringCell.class);
    /** Requests that read state but change none of it the next cell depends on. */
    static final Set<String> QUESTIONS = Set.of("complete_request", "inspect_request", "is_complete_request",
            "history_request", "kernel_info_request");
    private static final int WAIT_FOREVER = -1;

    private final Channel shell;
    private final MessageCodec codec;
    private final Deque<Message> held = new ArrayDeque<>();
    /** Polls the shell socket and {@link #cellEnded} together; only the shell thread uses it. */
    private final Selector selector;
    /** Readable once a cell's thread has ended: it writes a byte into {@link #endOfCell}. */
    private final Pipe.SourceChannel cellEnded;
    private final Pipe.SinkChannel endOfCell;
    private final ZMQ.PollItem[] waitFor;
    /** Runs the cells, one at a time; one thread kept for them all spares each cell a thread's start. */
    private final ExecutorService cells = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("jcn-cell").daemon().unstarted(r));

    QuestionsDuringCell(Channel shell, MessageCodec codec) {
        this.shell = shell;
        this.codec = codec;
        try {
            selector = Selector.open();
            Pipe pipe = Pipe.open();
            cellEnded = pipe.source();
            cellEnded.configureBlocking(false);
            endOfCell = pipe.sink();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the shell's wake-up pipe", e);
        }
        waitFor = new ZMQ.PollItem[] {shell.pollItem(), new ZMQ.PollItem(cellEnded, ZMQ.Poller.POLLIN)};
    }

    /**
     * Runs {@code cell} on the cells' thread and returns its result once it ends, answering the questions
     * that arrive meanwhile with {@code answer} on the calling (shell) thread.
     */
    <T> T runCell(Supplier<T> cell, Consumer<Message> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        cells.execute(() -> {
            try {
                result.complete(cell.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                wakeShell();
            }
        });
        while (!result.isDone()) {
            List<byte[]> frames = nextRequestOrEnd();
            if (frames == null) {
                continue;
            }
            Message m;
            try {
                m = codec.decode(frames);
            } catch (InvalidMessageException e) {
                LOG.warn("dropped a shell message: {}", e.getMessage());
                continue;
            }
            if (QUESTIONS.contains(m.type())) {
                answer.accept(m);
            } else {
                held.add(m);
            }
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a cell ran", e);
        }
    }

    /** The oldest request that arrived while a cell ran and still waits, or null. */
    Message nextHeld() {
        return held.poll();
    }

    /** Waits until a request arrives (returns it) or a cell's thread has ended (returns null). */
    private List<byte[]> nextRequestOrEnd() {
        ZMQ.poll(selector, waitFor, WAIT_FOREVER);
        if (waitFor[1].isReadable()) {
            drainWakeUps();
        }
        return waitFor[0].isReadable() ? shell.receive(0) : null;
    }

    /**
     * Writes the wake-up byte. A channel written by a thread with its interrupt flag set closes for
     * good, so an interrupt the cell's code left on its thread is set aside for the write.
     */
    private void wakeShell() {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (endOfCell) {
                endOfCell.write(ByteBuffer.wrap(new byte[1]));
            }
        } catch (IOException e) {
            // closed with the kernel: nobody waits for the reply any more
            LOG.debug("the end of a cell was not signalled: {}", e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drainWakeUps() {
        ByteBuffer bytes = ByteBuffer.allocate(64);
        try {
            while (cellEnded.read(bytes.clear()) > 0) {
                // one byte per ended cell; a wake-up more than needed only costs a look at the socket
            }
        } catch (IOException e) {
            LOG.debug("reading the shell's wake-ups failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        cells.shutdown();
        try {
            selector.close();
            cellEnded.close();
            endOfCell.close();
        } catch (IOException e) {
            LOG.debug("closing the shell's wake-up pipe failed: {}", e.toString());
        }
    }
}
