package dev.jcn.helpers.spinner;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/** Bounded joins that turn interruption into {@link CancellationException}. */
final class Joins {

    private Joins() {
    }

    static void join(Thread thread, Duration timeout) {
        try {
            if (!thread.join(timeout)) {
                thread.interrupt();
                if (!thread.join(timeout)) {
                    throw new IllegalStateException(thread + " did not stop within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while stopping " + thread);
        }
    }
}
