package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * Standard input of the cells: a thread of the running cell that reads {@code System.in}, or calls
 * {@code Input.line}, waits while the kernel asks the frontend for a line. Threads of cells that have
 * ended and services' threads get the end of input at once, with a one-line note on their
 * {@code System.err}; so does a cell whose frontend takes no input (the kernel says why).
 *
 * <pre>{@code
 * StdinRelay stdin = new StdinRelay(outbox, runs::isRunning, streams::flush);
 * System.setIn(stdin.stream());
 * String line = stdin.readLine("your name? ", false);   // on a cell's thread
 * stdin.answer(new Request.Input(1, "Ada", ""));          // from the dispatcher
 * }</pre>
 *
 * <p>An interrupt of the cell while it waits ends the read with {@link CellStopped}, which user code's
 * {@code catch (IOException e)} (a {@code Scanner}'s among them) does not swallow.
 */
final class StdinRelay {

    private final Outbox outbox;
    private final IntPredicate running;
    private final Runnable flushOutput;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Request.Input>> waiting = new ConcurrentHashMap<>();
    private final Stream stream = new Stream();

    StdinRelay(Outbox outbox, IntPredicate running, Runnable flushOutput) {
        this.outbox = outbox;
        this.running = running;
        this.flushOutput = flushOutput;
    }

    /** The stream to install as {@code System.in}. */
    InputStream stream() {
        return stream;
    }

    /**
     * A line from the reader, without its line end, or null at the end of input.
     *
     * @throws CellStopped when the cell is interrupted while the box waits
     * @throws InterruptedIOException when the thread is interrupted for another reason
     */
    String readLine(String prompt, boolean password) throws InterruptedIOException {
        int cell = Cells.current();
        if (cell == 0 || !running.test(cell)) {
            Thread t = Thread.currentThread();
            System.err.println("[System.in: end of input for thread \"" + t.getName() + "\": "
                    + (Cells.currentService() != null ? "a service's thread cannot ask the reader"
                    : cell == 0 ? "it belongs to no cell" : "cell " + cell + " has ended") + "]");
            return null;
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Request.Input> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        // What the cell printed (often the question itself) must be shown above the box.
        flushOutput.run();
        outbox.send(new Event.InputWanted(id, cell, prompt, password));
        Request.Input input;
        try {
            input = answer.get();
        } catch (InterruptedException e) {
            if (Cells.isStopped(cell)) {
                throw new CellStopped(cell);
            }
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        } catch (ExecutionException e) {
            throw new IllegalStateException("input was not delivered", e.getCause());
        } finally {
            waiting.remove(id);
        }
        if (!input.refusal().isEmpty()) {
            System.err.println("[System.in: end of input: " + input.refusal() + "]");
            return null;
        }
        return input.line();
    }

    /** Delivers the kernel's answer; one for a read that no longer waits (it was interrupted) is dropped. */
    void answer(Request.Input input) {
        CompletableFuture<Request.Input> f = waiting.get(input.input());
        if (f != null) {
            f.complete(input);
        }
    }

    /**
     * {@code System.in}: each line the reader types, with a line end, then the next request. End of
     * input ends one read; a later read asks again (a {@code Scanner} remembers the end by itself).
     */
    private final class Stream extends InputStream {
        private byte[] buffer = new byte[0];
        private int position;

        @Override
        public synchronized int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.length - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return buffer.length - position;
        }

        /** Whether bytes are ready, asking the reader for a line when none are left. */
        private boolean fill() throws IOException {
            if (position < buffer.length) {
                return true;
            }
            String line = readLine("", false);
            if (line == null) {
                return false;
            }
            buffer = (line + "\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }
    }
}
