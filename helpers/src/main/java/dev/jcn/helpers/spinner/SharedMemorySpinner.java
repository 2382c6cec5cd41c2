package dev.jcn.helpers.spinner;

import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;

/**
 * A child JVM spinner stopped through shared memory instead of a pipe: parent and child map the same
 * {@link SharedFlag}; the parent sets the flag, the child counts its frames in the shared counter.
 *
 * <pre>{@code
 * try (var spinner = new SharedMemorySpinner("thinking!")) {
 *     Thread.sleep(1000);
 *     spinner.frames();            // read from the memory both JVMs share
 * }
 * }</pre>
 */
public final class SharedMemorySpinner implements Spinner {

    private final String message;
    private final SharedFlag flag;
    private final ChildProcess child;
    private int framesAtClose = -1;

    /** Starts a child JVM spinning with {@code message}. */
    public SharedMemorySpinner(String message) {
        this.message = SpinnerLine.check(message);
        this.flag = SharedFlag.create();
        try {
            this.child = ChildJvm.of(SpinnerMain.class).args("shm", SpinnerMain.encode(message), flag.path().toString()).start();
        } catch (RuntimeException e) {
            flag.close();
            throw e;
        }
    }

    /** The shared flag (its file, its counter). */
    public SharedFlag flag() {
        return flag;
    }

    /** The child JVM's process handle. */
    public ProcessHandle process() {
        return child.handle();
    }

    @Override
    public String message() {
        return message;
    }

    @Override
    public synchronized int frames() {
        return framesAtClose >= 0 ? framesAtClose : (int) flag.count();
    }

    /** Sets the shared flag, waits for the child to clear its line and end, then unmaps the file. */
    @Override
    public synchronized void close() {
        if (framesAtClose >= 0) {
            return;
        }
        flag.set();
        try {
            child.waitFor(Duration.ofSeconds(5));
        } finally {
            child.close();
            framesAtClose = (int) flag.count();
            flag.close();
        }
    }

    @Override
    public String toString() {
        return "SharedMemorySpinner[pid=" + child.pid() + ", frames=" + frames() + "]";
    }
}
