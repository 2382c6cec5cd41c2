package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.Service;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the live threads that cells started, virtual ones included, and the cell each came from;
 * and the threads of services.
 *
 * <pre>{@code
 * for (ThreadCensus.Entry e : ThreadCensus.userThreads()) {
 *     System.out.println(e.thread().getName() + " from cell " + e.cell());
 * }
 * }</pre>
 *
 * <p>Virtual threads are not in {@code Thread.getAllStackTraces()}; they are found through the
 * JDK's thread containers (the same registry {@code jcmd Thread.dump_to_file} walks), which the
 * user JVM opens to us with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}. A
 * thread's cell is read from its inheritable thread-locals ({@code --add-opens java.base/java.lang}).
 * Without those options only platform threads are listed.
 */
final class ThreadCensus {

    /**
     * A user thread: the cell whose code started it, or (with {@code cell} 0) the service it belongs to.
     */
    record Entry(Thread thread, int cell, Service<?> service) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ROOT;
    private static final Method CONTAINER_THREADS;
    private static final Method CHILDREN;
    private static final Field INHERITABLE;
    private static final Method GET_ENTRY;
    private static final Field ENTRY_VALUE;

    static {
        Method root = null, threads = null, children = null, getEntry = null;
        Field inheritable = null, value = null;
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            root = containers.getMethod("root");
            threads = container.getMethod("threads");
            children = container.getMethod("children");
        } catch (ReflectiveOperationException | RuntimeException e) {
            root = null;
        }
        try {
            inheritable = Thread.class.getDeclaredField("inheritableThreadLocals");
            inheritable.setAccessible(true);
            Class<?> map = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            getEntry = map.getDeclaredMethod("getEntry", ThreadLocal.class);
            getEntry.setAccessible(true);
            value = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry").getDeclaredField("value");
            value.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            inheritable = null;
        }
        ROOT = root;
        CONTAINER_THREADS = threads;
        CHILDREN = children;
        INHERITABLE = inheritable;
        GET_ENTRY = getEntry;
        ENTRY_VALUE = value;
    }

    private ThreadCensus() {}

    /** Every live thread in this JVM, virtual threads included when the JDK lets us see them. */
    static Collection<Thread> allThreads() {
        Set<Thread> all = new LinkedHashSet<>();
        if (ROOT != null) {
            try {
                collect(ROOT.invoke(null), all, 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                all.clear();
            }
        }
        if (all.isEmpty()) {
            all.addAll(Thread.getAllStackTraces().keySet());
        }
        all.removeIf(t -> !t.isAlive());
        return all;
    }

    private static void collect(Object container, Set<Thread> into, int depth) throws ReflectiveOperationException {
        if (depth > 64) {
            return;
        }
        try (Stream<?> threads = (Stream<?>) CONTAINER_THREADS.invoke(container)) {
            threads.forEach(t -> into.add((Thread) t));
        }
        List<Object> kids = new ArrayList<>();
        try (Stream<?> children = (Stream<?>) CHILDREN.invoke(container)) {
            children.forEach(kids::add);
        }
        for (Object child : kids) {
            collect(child, into, depth + 1);
        }
    }

    /** The value of {@code local} in {@code thread}'s inheritable thread-locals, or null. */
    private static Object inherited(Thread thread, InheritableThreadLocal<?> local) {
        if (thread == Thread.currentThread()) {
            return local.get();
        }
        if (INHERITABLE == null) {
            return null;
        }
        try {
            Object map = INHERITABLE.get(thread);
            if (map == null) {
                return null;
            }
            Object entry = GET_ENTRY.invoke(map, local);
            return entry == null ? null : ENTRY_VALUE.get(entry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Live threads that cells started (the cell threads themselves included), and the threads of
     * services; a thread that has a service belongs to it, whichever cell it also inherited. The
     * common pool's timer is left out.
     */
    static List<Entry> userThreads() {
        List<Entry> result = new ArrayList<>();
        for (Thread t : allThreads()) {
            if (isCommonPoolTimer(t)) {
                continue;
            }
            if (inherited(t, Cells.serviceThreadLocal()) instanceof Service<?> service) {
                result.add(new Entry(t, 0, service));
            } else if (inherited(t, Cells.cellThreadLocal()) instanceof Integer cell && cell != 0) {
                result.add(new Entry(t, cell, null));
            }
        }
        return result;
    }

    /**
     * Whether {@code t} is the common fork-join pool's timer, which the JDK starts the first time a task
     * is delayed on that pool (a {@code StructuredTaskScope} with a timeout, {@code ForkJoinPool.schedule})
     * and keeps, idle, for the life of the JVM. It inherits the cell of whichever thread delayed that
     * first task, yet serves every cell and no cell may stop it: like the pool's workers, which carry
     * no cell, it is no cell's thread.
     */
    private static boolean isCommonPoolTimer(Thread t) {
        return t.getClass().getName().equals("java.util.concurrent.DelayScheduler")
                && t.getName().startsWith("ForkJoinPool.commonPool-");
    }

    /** The %threads row of {@code e}; {@code runsCell} when it is the thread of the running cell. */
    static Reply.ThreadRow row(Entry e, boolean runsCell) {
        Thread t = e.thread();
        return new Reply.ThreadRow(t.getName().isEmpty() ? "#" + t.threadId() : t.getName(), t.isVirtual(), t.getState().name(),
                cpuNanos(t), e.cell(), e.service() == null ? "" : e.service().name(), runsCell);
    }

    /** CPU time of a platform thread in nanoseconds, or -1 when unknown (virtual threads). */
    static long cpuNanos(Thread t) {
        if (t.isVirtual()) {
            return -1;
        }
        try {
            return THREADS.getThreadCpuTime(t.threadId());
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }
}
