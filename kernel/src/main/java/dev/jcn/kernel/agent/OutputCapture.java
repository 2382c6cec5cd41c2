package dev.jcn.kernel.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Replaces {@code System.out} and {@code System.err}: every write is tagged with the writer's cell
 * and thread name, buffered, and sent in batches every few milliseconds.
 *
 * <pre>{@code
 * try (OutputCapture capture = new OutputCapture(batch -> channel.send(batch))) {
 *     System.setOut(capture.stream("stdout"));
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

    private record Key(long threadId, String stream) {}

    private static final class Pending {
        final int cell;
        final String thread;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pending(int cell, String thread) {
            this.cell = cell;
            this.thread = thread;
        }
    }

    private final Consumer<JsonArray> sink;
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

    OutputCapture(Consumer<JsonArray> sink) {
        this.sink = sink;
        this.pump = Thread.ofPlatform().daemon().name("kernel-output").start(this::pumpLoop);
    }

    /** A print stream whose writes are tagged with {@code name} ("stdout" or "stderr"). */
    PrintStream stream(String name) {
        return new PrintStream(new Tap(name), false, StandardCharsets.UTF_8);
    }

    private final class Tap extends OutputStream {
        private final String name;

        Tap(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            append(name, b, off, len);
        }
    }

    private void append(String stream, byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        Thread me = Thread.currentThread();
        int cell = Cells.current();
        lock.lock();
        try {
            while (pendingBytes >= LIMIT && !closed) {
                if (Cells.currentIsStopped()) {
                    throw new CellStopped(cell);
                }
                wake.signal();
                drained.await(50, TimeUnit.MILLISECONDS);
            }
            Key key = new Key(me.threadId(), stream);
            Pending p = pending.get(key);
            if (p == null) {
                p = new Pending(cell, me.getName());
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
            Key key = new Key(me.threadId(), stream);
            pending.computeIfAbsent(key, k -> new Pending(cell, me.getName())).bytes.write(b, off, len);
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
            JsonArray items = new JsonArray();
            for (Map.Entry<Key, Pending> e : batch.entrySet()) {
                String text = decode(e.getKey(), e.getValue().bytes.toByteArray());
                if (text.isEmpty()) {
                    continue;
                }
                JsonObject item = new JsonObject();
                item.addProperty("cell", e.getValue().cell);
                item.addProperty("thread", e.getValue().thread);
                item.addProperty("name", e.getKey().stream());
                item.addProperty("text", text);
                items.add(item);
            }
            if (!items.isEmpty()) {
                sink.accept(items);
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
