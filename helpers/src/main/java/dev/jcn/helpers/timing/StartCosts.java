package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.AotCache;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What it costs to start a unit of execution, measured here and now: a platform thread, a virtual thread,
 * a child JVM (start to first output).
 *
 * <pre>{@code
 * StartCosts.platformThread(1000);       // median start+join, about 90 µs here
 * StartCosts.virtualThread(1000);        // about 20 µs
 * StartCosts.childJvm(5, false);         // about 35 ms: a plain JVM
 * StartCosts.childJvm(5, true);          // with the AOT cache, when it can be made
 * }</pre>
 */
public final class StartCosts {

    private StartCosts() {
    }

    /** Median time to start and join a platform thread that does nothing. */
    public static Duration platformThread(int repeats) {
        return Timing.median(repeats, () -> join(Thread.ofPlatform().start(() -> { })));
    }

    /** Median time to start and join a virtual thread that does nothing. */
    public static Duration virtualThread(int repeats) {
        return Timing.median(repeats, () -> join(Thread.ofVirtual().start(() -> { })));
    }

    /**
     * Median time from starting a child JVM to its first output, with or without the {@link AotCache}
     * (the cache is made first if needed; without it, the JDK's default class-data sharing still applies).
     *
     * @throws IllegalStateException if a child JVM fails to print within 10 s
     */
    public static Duration childJvm(int repeats, boolean aotCache) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        if (aotCache) {
            AotCache.forClassPath(ChildJvm.classPath()).prepare(Duration.ofSeconds(120));
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            nanos.add(childJvmOnce(aotCache).toNanos());
        }
        return Duration.ofNanos((long) Timing.median(nanos));
    }

    /** One child JVM start: time to its first output. */
    public static Duration childJvmOnce(boolean aotCache) {
        try (ChildProcess child = ChildJvm.of(Hello.class).aotCache(aotCache).onOutputLine(line -> { }).start()) {
            if (!child.waitFor(Duration.ofSeconds(10)) || child.firstOutputAfter().isEmpty()) {
                throw new IllegalStateException("a child JVM printed nothing within 10 s");
            }
            return child.firstOutputAfter().get();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }
}
