package dev.jcn.kernel.agent;

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
 * Finds the live threads that cells started, virtual ones included, and the cell each came from.
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

    /** A user thread and the cell whose code started it. */
    record Entry(Thread thread, int cell) {}

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

    /** The cell recorded in {@code thread}'s inheritable thread-locals, 0 when none. */
    static int cellOf(Thread thread) {
        if (thread == Thread.currentThread()) {
            return Cells.current();
        }
        if (INHERITABLE == null) {
            return 0;
        }
        try {
            Object map = INHERITABLE.get(thread);
            if (map == null) {
                return 0;
            }
            Object entry = GET_ENTRY.invoke(map, Cells.threadLocal());
            return entry == null ? 0 : (Integer) ENTRY_VALUE.get(entry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /** Live threads whose code a cell started (the cell threads themselves included). */
    static List<Entry> userThreads() {
        List<Entry> result = new ArrayList<>();
        for (Thread t : allThreads()) {
            int cell = cellOf(t);
            if (cell != 0) {
                result.add(new Entry(t, cell));
            }
        }
        return result;
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
