package dev.jcn.helpers.spinner;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot signal between threads, like Python's {@code threading.Event}: it starts unset, {@link #set()}
 * sets it for good, and {@link #await(Duration)} waits until it is set or the time is up.
 *
 * <pre>{@code
 * var done = new Flag();
 * Thread.ofPlatform().start(() -> { while (!done.await(Duration.ofMillis(100))) System.out.print("."); });
 * done.set();
 * }</pre>
 *
 * <p>Built on a {@link CountDownLatch} of one. Waiting methods do not throw checked exceptions: when the
 * waiting thread is interrupted they throw {@link CancellationException} with its interrupt status set.
 */
public final class Flag {

    private final CountDownLatch latch = new CountDownLatch(1);

    /** Creates an unset flag. */
    public Flag() {
    }

    /** Sets the flag and wakes every waiting thread; setting it again does nothing. */
    public void set() {
        latch.countDown();
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return latch.getCount() == 0;
    }

    /**
     * Waits until the flag is set or the timeout passes, like {@code event.wait(timeout)}.
     *
     * @return true if the flag is set
     * @throws CancellationException if the waiting thread is interrupted
     */
    public boolean await(Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a flag");
        }
    }

    @Override
    public String toString() {
        return isSet() ? "Flag[set]" : "Flag[unset]";
    }
}
