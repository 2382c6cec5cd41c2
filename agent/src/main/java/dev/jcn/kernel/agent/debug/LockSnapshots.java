package dev.jcn.kernel.agent.debug;

import dev.jcn.kernel.wire.Reply;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * For each thread: its state and stack, the lock it waits for and the thread holding that lock, and
 * the locks it holds; for platform and virtual threads, monitors ({@code synchronized}) and
 * {@code java.util.concurrent} locks alike.
 *
 * <pre>{@code
 * List<Reply.ThreadStack> view = LockSnapshots.take(List.of(new LockSnapshots.Subject(t, 3, "")), true, session::frame);
 * }</pre>
 *
 * <p>{@code ThreadMXBean} does not see virtual threads at all, so monitors are read from the JDK's own
 * per-thread snapshot, the one {@code jcmd Thread.dump_to_file} is built on ({@code jdk.internal.vm.ThreadSnapshot}:
 * the monitor a thread is blocked on, the monitors each frame locked; needs
 * {@code --add-opens java.base/jdk.internal.vm}). A {@code java.util.concurrent} lock is found as the
 * parked thread's blocker, and its owner as the synchronizer's exclusive owner thread (needs
 * {@code --add-opens java.base/java.util.concurrent.locks}). Without those options only states and
 * stacks are shown.
 */
public final class LockSnapshots {

    /** A thread to look at, and what it belongs to: a cell, or (with {@code cell} 0) a service. */
    public record Subject(Thread thread, int cell, String service) {}

    /** Frames shown per thread; the rest are counted. */
    static final int MAX_FRAMES = 24;

    /** The JDK's thread snapshot, opened to us; null when the user JVM's options do not allow it. */
    private record Snapshots(Method of, Method state, Method stack, Method blockedOn, Method parkBlocker, Method ownedAt) {}

    private static final Snapshots SNAPSHOTS = snapshots();
    private static final Method OWNER = exclusiveOwner();

    private static Snapshots snapshots() {
        try {
            Class<?> snapshot = Class.forName("jdk.internal.vm.ThreadSnapshot");
            return new Snapshots(accessible(snapshot.getDeclaredMethod("of", Thread.class)),
                    accessible(snapshot.getDeclaredMethod("threadState")), accessible(snapshot.getDeclaredMethod("stackTrace")),
                    accessible(snapshot.getDeclaredMethod("blockedOn")), accessible(snapshot.getDeclaredMethod("parkBlocker")),
                    accessible(snapshot.getDeclaredMethod("ownedMonitorsAt", int.class)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method exclusiveOwner() {
        try {
            return accessible(AbstractOwnableSynchronizer.class.getDeclaredMethod("getExclusiveOwnerThread"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private LockSnapshots() {}

    private static Method accessible(Method m) {
        m.setAccessible(true);
        return m;
    }

    /**
     * The view of {@code subjects}: all of them with their stacks when {@code stacks}, else only the
     * threads that wait for a lock (a monitor, or a {@code java.util.concurrent} lock someone holds),
     * without stacks, which is cheap enough to run on every {@code %threads}. {@code frameName} writes a
     * frame (a snippet's frame as its cell).
     */
    public static List<Reply.ThreadStack> take(List<Subject> subjects, boolean stacks,
            Function<StackTraceElement, String> frameName) {
        Map<Subject, Snap> snaps = new LinkedHashMap<>();
        for (Subject s : subjects) {
            if (stacks || waitsForLock(s.thread())) {
                Snap snap = snap(s.thread(), frameName);
                if (snap != null) {
                    snaps.put(s, snap);
                }
            }
        }
        Map<Object, Thread> monitorOwners = new IdentityHashMap<>();
        snaps.forEach((s, snap) -> snap.owned.forEach(m -> monitorOwners.put(m, s.thread())));
        Map<Thread, List<String>> heldLocks = new IdentityHashMap<>();
        Map<Thread, Waits> waits = new IdentityHashMap<>();
        snaps.forEach((s, snap) -> {
            Waits w = waitsOf(snap, monitorOwners);
            waits.put(s.thread(), w);
            if (w.holder != null && !w.monitor) {
                heldLocks.computeIfAbsent(w.holder, k -> new ArrayList<>()).add(w.lock);
            }
        });
        List<Reply.ThreadStack> view = new ArrayList<>();
        snaps.forEach((s, snap) -> {
            Thread t = s.thread();
            Waits w = waits.get(t);
            List<String> holds = new ArrayList<>(snap.owned.stream().map(LockSnapshots::label).distinct().toList());
            heldLocks.getOrDefault(t, List.of()).stream().filter(l -> !holds.contains(l)).distinct().forEach(holds::add);
            view.add(new Reply.ThreadStack(t.threadId(), t.getName().isEmpty() ? "#" + t.threadId() : t.getName(),
                    t.isVirtual(), snap.state.name(), s.cell(), s.service(), stacks ? snap.lines : List.of(),
                    w.lock, w.holder == null ? -1 : w.holder.threadId(), w.holder == null ? "" : name(w.holder), holds));
        });
        return view;
    }

    /** A cheap first look, before any snapshot: blocked on a monitor, or parked at a lock that has an owner. */
    private static boolean waitsForLock(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.BLOCKED
                || (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                        && LockSupport.getBlocker(t) instanceof AbstractOwnableSynchronizer sync && owner(sync) != null;
    }

    private record Waits(String lock, Thread holder, boolean monitor) {}

    private static final Waits NOTHING = new Waits("", null, false);

    private static Waits waitsOf(Snap snap, Map<Object, Thread> monitorOwners) {
        if (snap.blockedOn != null) {
            return new Waits(label(snap.blockedOn), monitorOwners.get(snap.blockedOn), true);
        }
        if (snap.parkBlocker instanceof AbstractOwnableSynchronizer sync) {
            Thread owner = owner(sync);
            return owner == null ? NOTHING : new Waits(label(sync), owner, false);
        }
        return NOTHING;
    }

    private static Thread owner(AbstractOwnableSynchronizer sync) {
        if (OWNER == null) {
            return null;
        }
        try {
            return (Thread) OWNER.invoke(sync);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** What one thread was doing at one moment. */
    private record Snap(Thread.State state, List<String> lines, Object blockedOn, Object parkBlocker, List<Object> owned) {}

    private static Snap snap(Thread t, Function<StackTraceElement, String> frameName) {
        Snapshots jdk = SNAPSHOTS;
        if (jdk != null) {
            try {
                Object s = jdk.of().invoke(null, t);
                if (s == null) {
                    return null;
                }
                Thread.State state = (Thread.State) jdk.state().invoke(s);
                StackTraceElement[] frames = (StackTraceElement[]) jdk.stack().invoke(s);
                List<Object> owned = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                for (int depth = 0; depth < frames.length; depth++) {
                    List<Object> here = ownedAt(jdk, s, depth);
                    owned.addAll(here);
                    if (depth < MAX_FRAMES) {
                        lines.add("at " + frameName.apply(frames[depth]));
                        here.forEach(m -> lines.add("- locked " + label(m)));
                    }
                }
                if (frames.length > MAX_FRAMES) {
                    lines.add("… " + (frames.length - MAX_FRAMES) + " more frames");
                }
                Object blockedOn = state == Thread.State.BLOCKED ? jdk.blockedOn().invoke(s) : null;
                return new Snap(state, lines, blockedOn, jdk.parkBlocker().invoke(s), owned);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to what the public API shows
            }
        }
        if (!t.isAlive()) {
            return null;
        }
        StackTraceElement[] frames = t.getStackTrace();
        List<String> lines = new ArrayList<>();
        for (int depth = 0; depth < Math.min(frames.length, MAX_FRAMES); depth++) {
            lines.add("at " + frameName.apply(frames[depth]));
        }
        return new Snap(t.getState(), lines, null, LockSupport.getBlocker(t), List.of());
    }

    private static List<Object> ownedAt(Snapshots jdk, Object snapshot, int depth) throws ReflectiveOperationException {
        try (Stream<?> monitors = (Stream<?>) jdk.ownedAt().invoke(snapshot, depth)) {
            // a null stands for a monitor the JIT elided: it has no object, and no one can wait for it
            return monitors.filter(Objects::nonNull).map(m -> (Object) m).toList();
        }
    }

    private static String name(Thread t) {
        return t.getName().isEmpty() ? "#" + t.threadId() : t.getName();
    }

    /**
     * A lock as {@code Class@identityHash} in hex, the class without its package or JShell's wrapper
     * ({@code Object@1b6d3586}, {@code ReentrantLock$NonfairSync@4554617c}, {@code Account@74a14482}).
     */
    static String label(Object lock) {
        String type = lock.getClass().getName();
        type = type.substring(type.lastIndexOf('.') + 1).replaceFirst("^\\$JShell\\$\\d+[A-Z]*\\$", "");
        return type + "@" + Integer.toHexString(System.identityHashCode(lock));
    }
}
