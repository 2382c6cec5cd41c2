package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Utf8;
import dev.jcn.notebook.Service;
import dev.jcn.notebook.spi.OutputSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Replaces {@code System.out} and {@code System.err}: every write is tagged with the writer's cell
 * (or service) and thread name, buffered, and sent in batches every few milliseconds.
 *
 * <pre>{@code
 * try (OutputCapture capture = new OutputCapture(chunks -> outbox.send(new Event.Output(chunks)))) {
 *     System.setOut(capture.stream(false));
 *     System.setErr(capture.stream(true));
 *     ...
 *     capture.flush();    // before replying to a cell, so its output comes first
 * }
 * }</pre>
 *
 * <p>Nothing is dropped: when more than {@link #LIMIT} bytes wait, writers block until the batch
 * has been sent (backpressure), unless their cell has been interrupted, in which case the write
 * throws {@link CellStopped}. Within a batch, text is grouped per thread and stream, keeping each
 * thread's order.
 */
final class OutputCapture implements AutoCloseable {

    static final int LIMIT = 256 << 10;
    private static final long PERIOD_MS = 15;
    private static final int EARLY_FLUSH = 64 << 10;

    /** A thread's text of one stream, while it works for one cell or service. */
    private record Key(long threadId, boolean stderr, int cell, String service) {}

    private static final class Pending {
        final String thread;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pending(String thread) {
            this.thread = thread;
        }
    }

    /** Where the calling thread's output goes instead of its cell, while an Output widget captures it. */
    private static final ThreadLocal<OutputSink> DIVERTED = new ThreadLocal<>();

    private final Consumer<List<Event.Chunk>> sink;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final Condition wake = lock.newCondition();
    private final ReentrantLock sendLock = new ReentrantLock();
    private LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    /** Bytes of an unfinished UTF-8 character, kept for the next batch of the same thread. */
    private final Map<Key, byte[]> carry = new HashMap<>();
    private long pendingBytes;
    private volatile boolean closed;
    private final Thread pump;

    OutputCapture(Consumer<List<Event.Chunk>> sink) {
        this.sink = sink;
        this.pump = Thread.ofPlatform().daemon().name("kernel-output").start(this::pumpLoop);
    }

    /** A print stream for {@code System.err} ({@code stderr} true) or {@code System.out}. */
    PrintStream stream(boolean stderr) {
        return new PrintStream(new Tap(stderr), false, StandardCharsets.UTF_8);
    }

    private final class Tap extends OutputStream {
        private final boolean stderr;

        Tap(boolean stderr) {
            this.stderr = stderr;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            append(stderr, b, off, len);
        }
    }

    /** Runs {@code code} with the calling thread's output going to {@code to}; diversions nest. */
    static void divert(OutputSink to, Runnable code) {
        OutputSink before = DIVERTED.get();
        DIVERTED.set(to);
        try {
            code.run();
        } finally {
            DIVERTED.set(before);
        }
    }

    /** The sink the calling thread's output goes to instead of its cell, or null. */
    static OutputSink diverted() {
        return DIVERTED.get();
    }

    private void append(boolean stderr, byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        OutputSink to = DIVERTED.get();
        if (to != null) {
            // A print stream hands over whole strings, so the bytes end on a character boundary.
            to.text(stderr, new String(b, off, len, StandardCharsets.UTF_8));
            return;
        }
        Thread me = Thread.currentThread();
        int cell = Cells.current();
        Service<?> service = Cells.currentService();
        Key key = new Key(me.threadId(), stderr, cell, service == null ? "" : service.name());
        lock.lock();
        try {
            while (pendingBytes >= LIMIT && !closed) {
                if (Cells.currentIsStopped()) {
                    throw new CellStopped(cell);
                }
                wake.signal();
                drained.await(50, TimeUnit.MILLISECONDS);
            }
            Pending p = pending.get(key);
            if (p == null) {
                p = new Pending(me.getName());
                pending.put(key, p);
            }
            p.bytes.write(b, off, len);
            pendingBytes += len;
            if (pendingBytes >= EARLY_FLUSH) {
                wake.signal();
            }
        } catch (InterruptedException e) {
            // Keep the text: losing output is worse than returning from a blocked write early.
            me.interrupt();
            pending.computeIfAbsent(key, k -> new Pending(me.getName())).bytes.write(b, off, len);
            pendingBytes += len;
        } finally {
            lock.unlock();
        }
    }

    private void pumpLoop() {
        while (!closed) {
            lock.lock();
            try {
                if (pendingBytes < EARLY_FLUSH) {
                    wake.await(PERIOD_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            flush();
        }
    }

    /** Sends everything written so far; returns when it has been handed to the sink. */
    void flush() {
        sendLock.lock();
        try {
            LinkedHashMap<Key, Pending> batch;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new LinkedHashMap<>();
                pendingBytes = 0;
            } finally {
                lock.unlock();
            }
            List<Event.Chunk> chunks = new ArrayList<>(batch.size());
            for (Map.Entry<Key, Pending> e : batch.entrySet()) {
                Key key = e.getKey();
                String text = decode(key, e.getValue().bytes.toByteArray());
                if (!text.isEmpty()) {
                    chunks.add(new Event.Chunk(key.cell(), key.service(), e.getValue().thread, key.stderr(), text));
                }
            }
            if (!chunks.isEmpty()) {
                sink.accept(chunks);
            }
            lock.lock();
            try {
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        } finally {
            sendLock.unlock();
        }
    }

    private String decode(Key key, byte[] bytes) {
        byte[] before = carry.remove(key);
        if (before != null) {
            byte[] joined = new byte[before.length + bytes.length];
            System.arraycopy(before, 0, joined, 0, before.length);
            System.arraycopy(bytes, 0, joined, before.length, bytes.length);
            bytes = joined;
        }
        int complete = Utf8.completeLength(bytes);
        if (complete < bytes.length) {
            byte[] rest = new byte[bytes.length - complete];
            System.arraycopy(bytes, complete, rest, 0, rest.length);
            carry.put(key, rest);
        }
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        flush();
        closed = true;
        pump.interrupt();
    }
}
