package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.notebook.MimeBundle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code %threads} and {@code %threads --stacks} with a real user JVM: two threads that take two locks
 * in opposite order deadlock, and the listing prints the cycle, for platform and virtual threads,
 * monitors and {@code ReentrantLock}s. Each test has a user JVM of its own, since virtual threads
 * deadlocked on monitors cannot be stopped and would stay in the next test's listings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadStacksTest {

    private final RecordingEvents events = new RecordingEvents();
    private final AtomicInteger cells = new AtomicInteger(1);
    private UserJvmInterpreter in;

    @BeforeEach
    void start() {
        in = new UserJvmInterpreter(events, List.of("-Xmx256m"));
        in.start();
    }

    @AfterEach
    void close() {
        in.close();
    }

    private String run(String code) {
        ExecuteResult r = in.execute(cells.getAndIncrement(), code);
        assertThat(r).isInstanceOf(ExecuteResult.Ok.class);
        MimeBundle v = ((ExecuteResult.Ok) r).value();
        assertThat(v).as("the cell's value").isNotNull();
        return v.text();
    }

    private void defineStuck(String states) {
        in.execute(cells.getAndIncrement(), "boolean stuck(Thread t) { return " + states + "; }");
    }

    private static final String MONITOR_LABEL = "\"Object@\" + Integer.toHexString(System.identityHashCode(L))";

    @Test
    void platformThreadsOnTwoMonitors() {
        defineStuck("t.getState() == Thread.State.BLOCKED");
        String[] locks = monitorDeadlock("Thread.ofPlatform()");
        String cycle = "deadlock: left holds " + locks[0] + ", waits for " + locks[1] + " held by right, which waits for " + locks[0];
        String listing = in.threads().text();
        assertThat(listing).contains("\n\n" + cycle);
        String stacks = in.threadStacks().text();
        assertThat(stacks).contains("left (platform, BLOCKED, cell ").contains("  waits for " + locks[1] + " held by right\n")
                .contains("  holds " + locks[0] + "\n").contains("- locked " + locks[0]).endsWith("\n" + cycle);
        // a frame of cell code names its cell, not JShell's wrapper class
        assertThat(stacks).containsPattern("\n    at lambda\\$\\S+\\(cell \\d+\\)\n").doesNotContain("$JShell$");
        // the forced stop waits, like the thread, for a monitor that is never released
        assertThat(in.stop("").text()).contains("2 still alive (a virtual thread parked where interrupts do not reach,"
                + " a thread blocked on a monitor that another holds, as in a deadlock, or a thread that caught the stop)");
    }

    @Test
    void virtualThreadsOnTwoMonitors() {
        defineStuck("t.getState() == Thread.State.BLOCKED");
        String[] locks = monitorDeadlock("Thread.ofVirtual()");
        String cycle = "deadlock: left holds " + locks[0] + ", waits for " + locks[1] + " held by right, which waits for " + locks[0];
        assertThat(in.threads().text()).contains("\n\n" + cycle);
        assertThat(in.threadStacks().text()).contains("right (virtual, BLOCKED, cell ")
                .contains("  waits for " + locks[0] + " held by left\n").contains("- locked " + locks[1]).endsWith("\n" + cycle);
    }

    private String[] monitorDeadlock(String builder) {
        // a synchronized block cannot span the lambda's statements, so the second lock is taken inside the first
        String value = run("""
                var a = new Object(); var b = new Object();
                var bothHoldOne = new CountDownLatch(2);
                BiFunction<Object, Object, Runnable> oppositeOrder = (first, second) -> () -> {
                    synchronized (first) {
                        bothHoldOne.countDown();
                        try { bothHoldOne.await(); } catch (InterruptedException e) { return; }
                        synchronized (second) { System.out.println("never"); }
                    }
                };
                Thread left = %s.name("left").start(oppositeOrder.apply(a, b));
                Thread right = %s.name("right").start(oppositeOrder.apply(b, a));
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && !(stuck(left) && stuck(right))) Thread.sleep(1);
                %s + " " + %s
                """.formatted(builder, builder, MONITOR_LABEL.replace("L", "a"), MONITOR_LABEL.replace("L", "b")));
        return value.replace("\"", "").split(" ");
    }

    @Test
    void platformThreadsOnTwoReentrantLocks() {
        assertReentrantLockCycle("Thread.ofPlatform()", "platform");
    }

    @Test
    void virtualThreadsOnTwoReentrantLocks() {
        assertReentrantLockCycle("Thread.ofVirtual()", "virtual");
    }

    private void assertReentrantLockCycle(String builder, String kind) {
        defineStuck("t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) != null");
        // a lock is shown by its synchronizer, the object a parked thread's blocker is: right waits for a's, left for b's
        String[] locks = run("""
                var a = new ReentrantLock(); var b = new ReentrantLock();
                var bothHoldOne = new CountDownLatch(2);
                BiFunction<ReentrantLock, ReentrantLock, Runnable> oppositeOrder = (first, second) -> () -> {
                    first.lock();
                    try {
                        bothHoldOne.countDown();
                        try { bothHoldOne.await(); } catch (InterruptedException e) { return; }
                        second.lock();
                        second.unlock();
                    } finally { first.unlock(); }
                };
                Thread left = %s.name("left").start(oppositeOrder.apply(a, b));
                Thread right = %s.name("right").start(oppositeOrder.apply(b, a));
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && !(stuck(left) && stuck(right))) Thread.sleep(1);
                Function<Object, String> label = o -> "ReentrantLock$NonfairSync@" + Integer.toHexString(System.identityHashCode(o));
                label.apply(LockSupport.getBlocker(right)) + " " + label.apply(LockSupport.getBlocker(left))
                """.formatted(builder, builder)).replace("\"", "").split(" ");
        String cycle = "deadlock: left holds " + locks[0] + ", waits for " + locks[1] + " held by right, which waits for " + locks[0];
        assertThat(in.threads().text()).contains("\n\n" + cycle);
        assertThat(in.threadStacks().text()).contains("left (" + kind + ", WAITING, cell ")
                .contains("  waits for " + locks[1] + " held by right\n").contains("  holds " + locks[0] + "\n").endsWith("\n" + cycle);
    }

    @Test
    void threadsThatOnlyWaitShowNoDeadlock() {
        run("""
                var gate = new CountDownLatch(1);
                Thread sleeper = Thread.ofVirtual().name("sleeper").start(() -> { try { gate.await(); } catch (InterruptedException e) { } });
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && sleeper.getState() != Thread.State.WAITING) Thread.sleep(1);
                sleeper.getState()
                """);
        assertThat(in.threads().text()).doesNotContain("deadlock");
        assertThat(in.threadStacks().text()).contains("sleeper (virtual, WAITING, cell ").contains("CountDownLatch.await")
                .endsWith("\nno deadlock");
        run("gate.countDown(); sleeper.join(); sleeper.isAlive()");
    }
}
