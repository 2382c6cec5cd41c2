package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ForcedStopTest {

    static {
        // The stops below land in BigInteger's squaring; the classes it first initialises there must be ready
        // before, or a stop that comes just as the initializer begins (the stop looks for initializers first, but
        // the look and the stop are two steps) breaks them for every later test in this JVM.
        BigInteger big = BigInteger.ONE.shiftLeft(100_000).subtract(BigInteger.ONE);
        if (big.multiply(big).signum() != 1 || big.multiply(big.add(BigInteger.TWO)).signum() != 1) {
            throw new AssertionError("a product of positive numbers is positive");
        }
    }

    @Test
    void isAvailableOnThisJdk() {
        assertThat(ForcedStop.available()).isTrue();
    }

    @Test
    void stopsALoopInsideLibraryCode() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                ended.complete(new AssertionError("finished: " + new BigInteger("3").pow(60_000_000).bitLength()));
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        started.await();
        // stop it well inside the computation, not while BigInteger is still being loaded
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.getThreadCpuTime(t.threadId()) < 100_000_000L && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        ForcedStop.stop(t);
        assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(CellStopped.FORCED);
    }

    /** Its initializer runs until the test lets it end. */
    private static final class SlowToInitialize {
        static final int VALUE;

        static {
            INITIALIZING.countDown();
            while (!initializerMayEnd) {
                Thread.onSpinWait();
            }
            VALUE = 42;
        }
    }

    private static final CountDownLatch INITIALIZING = new CountDownLatch(1);
    private static volatile boolean initializerMayEnd;

    @Test
    void waitsForAClassInitializerToEndSoThatTheClassStaysUsable() throws Exception {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                int value = SlowToInitialize.VALUE;
                while (value == 42) {
                    Thread.onSpinWait();
                }
                ended.complete(new AssertionError("left the loop"));
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        assertThat(INITIALIZING.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> stopped = new CompletableFuture<>();
        Thread stopper = Thread.ofPlatform().start(() -> stopped.complete(ForcedStop.stop(t)));
        // the initializer ends only once the stop has seen it and waits, or has already gone ahead
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stopped.isDone() && !waiting(stopper) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        initializerMayEnd = true;

        assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(CellStopped.FORCED);
        assertThat(SlowToInitialize.VALUE).as("the class was initialised, not cut short").isEqualTo(42);
    }

    private static boolean waiting(Thread stopper) {
        for (StackTraceElement f : stopper.getStackTrace()) {
            if (f.getClassName().equals("java.util.concurrent.locks.LockSupport")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void stopsAnUninterruptibleLockWait() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        try {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    lock.lock();
                    ended.complete(new AssertionError("got the lock"));
                } catch (Throwable e) {
                    ended.complete(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!lock.hasQueuedThread(t) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            t.interrupt();
            assertThat(t.join(Duration.ofMillis(200))).as("interrupt alone does not end lock()").isFalse();
            ForcedStop.stop(t);
            assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(CellStopped.FORCED);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void stopsAVirtualThreadBusyInLibraryCode() throws Exception {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                ended.complete(new AssertionError("finished: " + new BigInteger("3").pow(60_000_000).bitLength()));
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        // stop it inside the multiplication, which checks neither interrupts nor anything else
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!insideBigInteger(t) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        t.interrupt();
        assertThat(ended.isDone()).as("interrupt alone does not end the multiplication").isFalse();
        ForcedStop.stop(t);
        assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(CellStopped.FORCED);
    }

    private static boolean insideBigInteger(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals("java.math.BigInteger") && !f.getMethodName().startsWith("<")) {
                return true;
            }
        }
        return false;
    }
}
