package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records what an interpreter reports, and lets a test wait (bounded) until something arrived.
 *
 * <pre>{@code
 * RecordingEvents events = new RecordingEvents();
 * ... in = new UserJvmInterpreter(events);
 * events.awaitText(s -> s.cell() == 3 && s.text().contains("late"), Duration.ofSeconds(10));
 * }</pre>
 */
final class RecordingEvents implements InterpreterEvents {

    record Stream(int cell, String thread, String name, String text) {}

    record Display(int cell, MimeBundle bundle, String id, boolean update) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Stream> streams = new ArrayList<>();
    private final List<Display> displays = new ArrayList<>();
    private final List<Integer> clears = new ArrayList<>();

    @Override
    public void stream(int cell, String thread, String name, String text) {
        lock.lock();
        try {
            streams.add(new Stream(cell, thread, name, text));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void display(int cell, MimeBundle bundle, String displayId, boolean update) {
        lock.lock();
        try {
            displays.add(new Display(cell, bundle, displayId, update));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void clearOutput(int cell, boolean wait) {
        lock.lock();
        try {
            clears.add(cell);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The cells whose output was cleared, in order. */
    List<Integer> clears() {
        lock.lock();
        try {
            return List.copyOf(clears);
        } finally {
            lock.unlock();
        }
    }

    List<Stream> streams() {
        lock.lock();
        try {
            return List.copyOf(streams);
        } finally {
            lock.unlock();
        }
    }

    List<Display> displays() {
        lock.lock();
        try {
            return List.copyOf(displays);
        } finally {
            lock.unlock();
        }
    }

    /** All text of {@code name} ("stdout"/"stderr") so far, concatenated in arrival order. */
    String text(String name) {
        StringBuilder b = new StringBuilder();
        for (Stream s : streams()) {
            if (s.name().equals(name)) {
                b.append(s.text());
            }
        }
        return b.toString();
    }

    /** Waits until {@code condition} holds on this recorder; false if it did not within {@code limit}. */
    boolean await(Predicate<RecordingEvents> condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until some stream event matches. */
    boolean awaitStream(Predicate<Stream> match, Duration limit) throws InterruptedException {
        return await(r -> r.streams().stream().anyMatch(match), limit);
    }
}
