package dev.jcn.kernel.agent;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JIT's compiler threads at a lower scheduling priority while a fresh user JVM prepares its first cell,
 * and at their own again before any user code runs.
 *
 * <p>On a machine with few cores a start has more runnable threads than cores: the thread that builds JShell
 * and compiles the imports and the first cell, which everything waits for, and beside it the JIT's compiler
 * threads (busy compiling that same compiler) and the kernel JVM. Measured on two cores, that thread waited
 * for a core about as long as it ran. Linux's scheduler shares a core by weight: with {@value #LOWERED} added to
 * the compiler threads' nice value the start's own thread runs whenever it can, and the compiler threads take
 * what is left. User code never meets the lowered JIT (the notebooks time user code, whose loops the JIT must compile
 * at its usual speed): {@link #restore} runs before the first user code, and after the first cell's answer or
 * before the warm-up in any case.
 *
 * <p>Lowered only where it can be undone. Linux lets a process raise its threads' nice values, but lowering
 * one again takes a privilege or a nice limit ({@code RLIMIT_NICE}) that most users lack: a probe on a thread
 * of its own (nice + 1, then back) decides. Not Linux, no {@code /proc}, no native access: nothing is
 * lowered, and the start is as before.
 *
 * <pre>{@code
 * steps.mark(JitPriority.lower());   // early in main: "JIT at nice +10 (2 threads)"
 * JitPriority.restore();             // before user code; idempotent
 * }</pre>
 *
 * <p>Thread-safe: {@link #lower} and {@link #restore} may race; once {@link #restore} has run, nothing is
 * lowered any more.
 */
final class JitPriority {

    /** The nice value added to the compiler threads' own. */
    static final int LOWERED = 10;
    private static final int PRIO_PROCESS = 0;
    /** How the JVM names its compiler threads; a thread's {@code comm} keeps its first 15 characters. */
    private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

    private static MethodHandle setpriority;
    /** The compiler threads' nice value before they were lowered; null while they are not lowered. */
    private static Integer base;
    private static volatile boolean restored;

    private JitPriority() {}

    /**
     * Lowers the compiler threads' priority if it can be undone; says what it did, for the start-up line.
     * The probe runs on a thread of its own, which ends after it.
     */
    static String lower() {
        try {
            MethodHandle call = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            if (!canBeSetBack(call)) {
                return "JIT priority kept (a nice value cannot be set back here)";
            }
            synchronized (JitPriority.class) {
                if (restored) {
                    return "JIT priority kept (the first cell came first)";
                }
                setpriority = call;
                int count = 0;
                for (int tid : compilerThreads()) {
                    int nice = nice(tid);
                    if (base == null) {
                        base = nice;
                    }
                    if ((int) call.invokeExact(PRIO_PROCESS, tid, nice + LOWERED) == 0) {
                        count++;
                    }
                }
                return "JIT at nice +" + LOWERED + " (" + count + " threads)";
            }
        } catch (Throwable e) {
            return "JIT priority kept (" + e + ")";
        }
    }

    /** Whether a thread's nice value can be raised and set back: tried on a new thread, which then ends. */
    private static boolean canBeSetBack(MethodHandle call) throws InterruptedException {
        boolean[] yes = {false};
        Thread probe = Thread.ofPlatform().name("nice-probe").start(() -> {
            try {
                int self = selfTid();
                int own = nice(self);
                yes[0] = (int) call.invokeExact(PRIO_PROCESS, self, own + 1) == 0
                        && (int) call.invokeExact(PRIO_PROCESS, self, own) == 0;
            } catch (Throwable e) {
                yes[0] = false;
            }
        });
        probe.join();
        return yes[0];
    }

    /**
     * Puts every compiler thread back at the nice value they had, those the JIT added meanwhile too (a new
     * thread inherits its maker's); does nothing the second time. A thread that cannot be set back is named on
     * standard error: the timings of that JVM's code would suffer.
     */
    static void restore() {
        if (!restored) {
            restoreNow();
        }
    }

    private static synchronized void restoreNow() {
        if (restored) {
            return;
        }
        restored = true;
        if (base == null) {
            return;
        }
        try {
            for (int tid : compilerThreads()) {
                try {
                    if (nice(tid) != base && (int) setpriority.invokeExact(PRIO_PROCESS, tid, (int) base) != 0
                            && Files.exists(Path.of("/proc/self/task/" + tid))) {
                        System.err.println("warning: the JIT's compiler thread " + tid + " stays at a lower priority in this JVM");
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (Throwable e) {
            System.err.println("warning: the JIT's compiler threads may stay at a lower priority in this JVM: " + e);
        }
    }

    private static int selfTid() throws IOException {
        // /proc/thread-self links to "<pid>/task/<tid>"
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    private static List<Integer> compilerThreads() throws IOException {
        List<Integer> tids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (COMPILER_THREADS.contains(Files.readString(task.resolve("comm")).strip())) {
                        tids.add(Integer.parseInt(task.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        }
        return tids;
    }

    /** A thread's nice value: field 19 of its {@code stat}, counted after the command's closing parenthesis. */
    static int nice(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
