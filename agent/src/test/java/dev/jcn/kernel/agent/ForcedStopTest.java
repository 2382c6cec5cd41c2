package dev.jcn.kernel.agent;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.MTD_void;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.classfile.ClassFile;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ForcedStopTest {

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

    // A thread that keeps initialising fresh classes, stopped again and again: no stop may cut an initializer short.

    private static final int INITIALIZER_STEPS = 5_000;
    /** What {@code Target.VALUE} holds once its initializer has run to the end: 0 + 1 + ... + (steps - 1). */
    private static final long TARGET_VALUE = (long) INITIALIZER_STEPS * (INITIALIZER_STEPS - 1) / 2;
    private static final ClassDesc TARGET = ClassDesc.of("Target");
    /** {@code Target}: its static initializer sums the first numbers into {@code VALUE}, a loop of some 100 µs. */
    private static final byte[] TARGET_BYTES = ClassFile.of().build(TARGET, c -> c
            .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL)
            .withSuperclass(CD_Object)
            .withField("VALUE", CD_long, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL)
            .withMethodBody("<clinit>", MTD_void, ClassFile.ACC_STATIC, code -> {
                Label loop = code.newLabel();
                Label end = code.newLabel();
                code.lconst_0().lstore(0).iconst_0().istore(2)
                        .labelBinding(loop).iload(2).ldc(INITIALIZER_STEPS).if_icmpge(end)
                        .lload(0).iload(2).i2l().ladd().lstore(0).iinc(2, 1).goto_(loop)
                        .labelBinding(end).lload(0).putstatic(TARGET, "VALUE", CD_long).return_();
            }));
    /** {@code Probe}, a {@link LongSupplier} of {@code Target.VALUE}: its {@code getstatic} initialises Target. */
    private static final byte[] PROBE_BYTES = ClassFile.of().build(ClassDesc.of("Probe"), c -> c
            .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL)
            .withSuperclass(CD_Object)
            .withInterfaceSymbols(ClassDesc.of(LongSupplier.class.getName()))
            .withMethodBody("<init>", MTD_void, ClassFile.ACC_PUBLIC,
                    code -> code.aload(0).invokespecial(CD_Object, "<init>", MTD_void).return_())
            .withMethodBody("getAsLong", MethodTypeDesc.of(CD_long), ClassFile.ACC_PUBLIC,
                    code -> code.getstatic(TARGET, "VALUE", CD_long).lreturn()));

    /** Defines its own Target and Probe: each loader's Target is initialised afresh. */
    private static final class FreshLoader extends ClassLoader {
        FreshLoader() {
            super(ForcedStopTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] bytes = switch (name) {
                case "Target" -> TARGET_BYTES;
                case "Probe" -> PROBE_BYTES;
                default -> null;
            };
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
        }
    }

    /**
     * One round: a fresh loader, its Target loaded, then initialised by Probe's {@code getstatic} (odd rounds) or
     * by {@code Class.forName} (even rounds), then about as long outside any initializer. Returns Target.VALUE.
     */
    private static long initialiseAFreshClass(List<ClassLoader> loaders, int round) throws Throwable {
        FreshLoader loader = new FreshLoader();
        loaders.add(loader);
        Class<?> target = loader.loadClass("Target");
        long value;
        if (round % 2 == 1) {
            // a method handle, not reflection, which would wrap the stop in an InvocationTargetException
            MethodHandle probe = MethodHandles.publicLookup().findConstructor(loader.loadClass("Probe"), MethodType.methodType(void.class));
            value = ((LongSupplier) probe.invoke()).getAsLong();
        } else {
            value = Class.forName(target.getName(), true, loader).getField("VALUE").getLong(null);
        }
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(100);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        return value;
    }

    /** Stops {@code stops} fresh threads busy initialising classes; returns what went wrong, one line a stop. */
    private static List<String> stopThreadsInitialisingClasses(Thread.Builder threads, int stops, AtomicInteger lost)
            throws Throwable {
        List<ClassLoader> warmUp = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            assertThat(initialiseAFreshClass(warmUp, round)).isEqualTo(TARGET_VALUE);
        }
        List<String> problems = new ArrayList<>();
        for (int stop = 0; stop < stops; stop++) {
            List<ClassLoader> loaders = new ArrayList<>();
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread t = threads.start(() -> {
                try {
                    started.countDown();
                    for (int round = 0; ; round++) {
                        if (initialiseAFreshClass(loaders, round) != TARGET_VALUE) {
                            throw new AssertionError("Target.VALUE is wrong");
                        }
                    }
                } catch (Throwable e) {
                    ended.complete(e);
                }
            });
            started.await();
            // land anywhere in a round: in the initializer, in loading and linking, or outside
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(3)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean stopped = false;
            while (!ended.isDone() && System.nanoTime() - deadline < 0) {
                try {
                    // false only for a virtual thread off its carrier for a moment
                    stopped = ForcedStop.stop(t);
                } catch (IllegalStateException e) {
                    problems.add("stop " + stop + ": " + e.getMessage());
                }
                if (stopped && !ended.isDone()) {
                    try {
                        ended.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        // Now and then the JVM drops a stop: StopThread succeeded, the thread never throws. A
                        // second stop, like a second interrupt, ends it. Counted and printed, not hidden.
                        lost.incrementAndGet();
                    }
                }
            }
            Throwable end = ended.completeOnTimeout(new AssertionError("went on for 10 s"), 0, TimeUnit.SECONDS).join();
            if (!endedByTheStop(end)) {
                problems.add("stop " + stop + ": the thread ended with " + end);
            }
            if (!t.join(Duration.ofSeconds(5))) {
                StringBuilder where = new StringBuilder();
                for (StackTraceElement f : t.getStackTrace()) {
                    where.append("\n        at ").append(f);
                }
                problems.add("stop " + stop + ": the thread is still alive, " + t.getState() + where);
            }
            for (ClassLoader loader : List.copyOf(loaders)) {
                try {
                    // initialises the class if the stop came before its initializer began
                    long value = Class.forName("Target", true, loader).getField("VALUE").getLong(null);
                    if (value != TARGET_VALUE) {
                        problems.add("stop " + stop + ": Target.VALUE is " + value);
                    }
                } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
                    problems.add("stop " + stop + ": the class was left unusable: " + e);
                }
            }
        }
        // and the JDK's own classes that the rounds use are all fine
        assertThat(initialiseAFreshClass(new ArrayList<>(), 1)).isEqualTo(TARGET_VALUE);
        assertThat(initialiseAFreshClass(new ArrayList<>(), 2)).isEqualTo(TARGET_VALUE);
        return problems;
    }

    /**
     * Whether the thread ended with the stop: {@link CellStopped#FORCED} itself, or wrapped by the JDK's
     * method-handle machinery, which turns what it catches while spinning a class into an {@code InternalError}.
     */
    private static boolean endedByTheStop(Throwable end) {
        for (Throwable e = end; e != null; e = e.getCause()) {
            if (e == CellStopped.FORCED) {
                return e == end || e == end.getCause() && end instanceof InternalError;
            }
        }
        return false;
    }

    @Test
    void neverCutsAClassInitializerShortInAPlatformThread() throws Throwable {
        AtomicInteger lost = new AtomicInteger();
        assertThat(stopThreadsInitialisingClasses(Thread.ofPlatform(), 200, lost)).isEmpty();
        System.out.println("stops of platform threads the JVM dropped: " + lost + " of 200");
    }

    @Test
    void neverCutsAClassInitializerShortInAVirtualThread() throws Throwable {
        AtomicInteger lost = new AtomicInteger();
        assertThat(stopThreadsInitialisingClasses(Thread.ofVirtual(), 200, lost)).isEmpty();
        System.out.println("stops of virtual threads the JVM dropped: " + lost + " of 200");
    }
}
