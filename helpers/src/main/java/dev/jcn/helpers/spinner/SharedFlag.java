package dev.jcn.helpers.spinner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A flag and a counter in a memory-mapped file that two JVMs share, through the FFM API: the Java cousin of
 * {@code multiprocessing.shared_memory}. The layout is fixed, like a {@code ShareableList}: one long for the
 * flag at offset 0, one long for the counter at offset 8.
 *
 * <pre>{@code
 * try (var flag = SharedFlag.create()) {                // a new temporary file, deleted on close
 *     // hand flag.path() to another JVM, which calls SharedFlag.open(path)
 *     flag.set();                                       // the other JVM sees isSet() == true
 * }
 * }</pre>
 *
 * <p>Reads and writes are volatile, so each JVM sees the other's writes. Waiting polls every millisecond:
 * there is no cross-process wake-up here, which is why Python uses an OS semaphore for its Event.
 */
public final class SharedFlag implements AutoCloseable {

    private static final long SIZE = 16;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Path path;
    private final boolean owner;
    private final Arena arena;
    private final MemorySegment segment;

    private SharedFlag(Path path, boolean owner) {
        this.path = path;
        this.owner = owner;
        this.arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (channel.size() < SIZE) {
                channel.write(java.nio.ByteBuffer.allocate((int) SIZE), 0);
            }
            this.segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates a flag in a new temporary file, unset, counter zero; {@link #close()} deletes the file. */
    public static SharedFlag create() {
        try {
            return new SharedFlag(Files.createTempFile("jcn-flag", ".bin"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file: " + e.getMessage(), e);
        }
    }

    /** Opens a flag another JVM created. */
    public static SharedFlag open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no shared flag file at " + path);
        }
        return new SharedFlag(path, false);
    }

    /** The file both JVMs map. */
    public Path path() {
        return path;
    }

    /** Sets the flag. */
    public void set() {
        LONG.setVolatile(segment, 0L, 1L);
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return (long) LONG.getVolatile(segment, 0L) != 0;
    }

    /** Adds one to the counter. */
    public long increment() {
        return (long) LONG.getAndAdd(segment, 8L, 1L) + 1;
    }

    /** The counter's value. */
    public long count() {
        return (long) LONG.getVolatile(segment, 8L);
    }

    /**
     * Waits until the flag is set or the timeout passes, polling every millisecond.
     *
     * @return true if the flag is set
     * @throws CancellationException if the waiting thread is interrupted
     */
    public boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isSet()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000L);
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted while waiting for a shared flag");
            }
        }
        return true;
    }

    /** Unmaps the file; the creator also deletes it. */
    @Override
    public void close() {
        arena.close();
        if (owner) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // A temporary file left behind is harmless.
            }
        }
    }
}
