package dev.jcn.helpers.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task that counts how many of its kind run at once in this JVM (members embedded in the test's JVM): it
 * records the most it saw, then runs for {@code millis} ms; {@link #ENDED} counts those that ended.
 */
public record Overlapping(long millis) implements ClusterTask<Integer> {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();
    static final AtomicInteger ENDED = new AtomicInteger();

    @Override
    public Integer call() throws InterruptedException {
        int now = RUNNING.incrementAndGet();
        MOST.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(millis);
        } finally {
            RUNNING.decrementAndGet();
            ENDED.incrementAndGet();
        }
        return now;
    }
}
