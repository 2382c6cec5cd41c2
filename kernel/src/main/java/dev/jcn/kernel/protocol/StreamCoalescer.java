package dev.jcn.kernel.protocol;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers stream text per (parent request, stream name) and hands it on in few, larger pieces:
 * at most once per {@code interval} per buffer, or at once when a buffer passes {@code maxChars}.
 * A flood of prints from many threads thus becomes a few messages per second, in write order,
 * while a 10 Hz spinner still reaches the frontend frame by frame.
 *
 * <pre>{@code
 * try (StreamCoalescer c = new StreamCoalescer(sink, Duration.ofMillis(50), 64 * 1024)) {
 *     c.append(parent, "stdout", "tick\n");
 *     c.flush();   // before execute_reply, so the reply follows all of the cell's output
 * }
 * }</pre>
 *
 * <p>Thread-safe. The sink is called with this object's lock held, so its calls never overlap
 * and arrive in the order the text was appended.
 */
public final class StreamCoalescer implements AutoCloseable {

    /** Receives coalesced text. */
    @FunctionalInterface
    public interface Sink {
        /** One stream message's worth of text for {@code parent}. */
        void stream(JsonObject parent, String name, String text);
    }

    /** Keyed by msg_id rather than the header itself: hashing a JSON tree on every print is wasteful. */
    private record Key(String parentId, String name) {}

    private record Buffer(JsonObject parent, StringBuilder text) {}

    private final Sink sink;
    private final long intervalNanos;
    private final int maxChars;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    private final Map<Key, Buffer> buffers = new LinkedHashMap<>();
    private final Thread flusher;
    private long lastFlush = System.nanoTime();
    private boolean closed;

    /** A coalescer feeding {@code sink} from its own daemon thread. */
    public StreamCoalescer(Sink sink, Duration interval, int maxChars) {
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.maxChars = maxChars;
        this.flusher = Thread.ofPlatform().name("jcn-output-flusher").daemon().start(this::run);
    }

    /** Adds text for {@code parent}'s stream {@code name}; large buffers are handed on at once. */
    public void append(JsonObject parent, String name, String text) {
        if (text.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            Key key = new Key(parent.has("msg_id") ? parent.get("msg_id").getAsString() : "", name);
            StringBuilder b = buffers.computeIfAbsent(key, k -> new Buffer(parent, new StringBuilder())).text();
            b.append(text);
            if (b.length() >= maxChars) {
                buffers.remove(key);
                sink.stream(parent, name, b.toString());
            } else {
                pending.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands on everything buffered now. */
    public void flush() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() {
        if (buffers.isEmpty()) {
            return;
        }
        List<Map.Entry<Key, Buffer>> entries = new ArrayList<>(buffers.entrySet());
        buffers.clear();
        lastFlush = System.nanoTime();
        for (Map.Entry<Key, Buffer> e : entries) {
            sink.stream(e.getValue().parent(), e.getKey().name(), e.getValue().text().toString());
        }
    }

    private void run() {
        lock.lock();
        try {
            while (!closed) {
                if (buffers.isEmpty()) {
                    pending.await();
                    continue;
                }
                long wait = lastFlush + intervalNanos - System.nanoTime();
                if (wait > 0) {
                    pending.awaitNanos(wait);
                    continue;
                }
                flushLocked();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Flushes what is left and stops the flushing thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            flushLocked();
            closed = true;
            pending.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
