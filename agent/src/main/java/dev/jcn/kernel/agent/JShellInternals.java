package dev.jcn.kernel.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Two things JShell does that a kernel must steer, which its public API does not offer; reached
 * reflectively, as the user JVM allows with {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}.
 * Without that (in a plain test JVM) both calls do nothing and JShell behaves as it always does.
 *
 * <pre>{@code
 * String problem = JShellInternals.renewCompiler(shell);     // null when done
 * JShellInternals.suspendIndexing(analysis);                 // ... a cell compiles ...
 * JShellInternals.resumeIndexing(analysis);
 * }</pre>
 *
 * <ul>
 *   <li><b>Fresh compiler contexts.</b> JShell reuses javac contexts from a pool; after a string
 *       constant overflowed the class file's limit, javac's reused pool writer keeps the overflowing
 *       string (it throws before resetting itself), so every later compilation in that context fails
 *       with "UTF8 representation for string ... is too long for the constant pool". The task
 *       factory's own {@code initTaskPool} drops the pool.</li>
 *   <li><b>The class path indexer.</b> As soon as a JShell's source analysis exists, a background thread
 *       indexes the whole JDK and every class path jar for package completion, seconds of CPU that
 *       the first cells would share with it on a two-core machine, and that a session nobody completes
 *       code in (a headless run) never needs. The session holds it until the first completion
 *       request, and pauses it while a cell runs, as JShell itself does while it completes code.</li>
 * </ul>
 */
final class JShellInternals {

    private JShellInternals() {}

    /** Replaces the compiler contexts of {@code shell}; returns why it could not, or null. */
    static String renewCompiler(JShell shell) {
        try {
            Field taskFactory = JShell.class.getDeclaredField("taskFactory");
            taskFactory.setAccessible(true);
            Object factory = taskFactory.get(shell);
            Method init = factory.getClass().getDeclaredMethod("initTaskPool");
            init.setAccessible(true);
            init.invoke(factory);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }

    /** Holds the class path indexer of {@code analysis} before its next jar; calls nest. */
    static void suspendIndexing(SourceCodeAnalysis analysis) {
        call(analysis, "suspendIndexing");
    }

    /** Undoes one {@link #suspendIndexing}. */
    static void resumeIndexing(SourceCodeAnalysis analysis) {
        call(analysis, "resumeIndexing");
    }

    private static void call(SourceCodeAnalysis analysis, String method) {
        try {
            Method m = analysis.getClass().getMethod(method);
            m.setAccessible(true);
            m.invoke(analysis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // jdk.jshell is not open to us: the indexer runs as in any JShell
        }
    }
}
