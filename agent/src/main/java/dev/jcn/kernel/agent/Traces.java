package dev.jcn.kernel.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jdk.jshell.EvalException;

/**
 * Stack traces in the user's terms: the frames of JShell and of the agent below user code are cut,
 * snippet frames name the cell and line, and long traces are shortened. Used for exceptions that end
 * a cell and for uncaught exceptions in threads.
 *
 * <pre>{@code
 * List<String> lines = Traces.lines(exception, session::frame);
 * // java.lang.IllegalStateException: no
 * //     at boom(cell 3, line 2)
 * }</pre>
 */
final class Traces {

    /** Frames shown per exception; a stack overflow's thousands of frames end in "... N more". */
    static final int MAX_FRAMES = 40;
    /** Causes shown, so that a cycle of causes ends. */
    private static final int MAX_CAUSES = 8;

    private Traces() {}

    /**
     * The trace of {@code t} and its causes, one string per line; {@code frameName} writes a frame
     * (the session knows which cell and line a snippet frame is).
     */
    static List<String> lines(Throwable t, Function<StackTraceElement, String> frameName) {
        List<String> lines = new ArrayList<>();
        add(t, "", frameName, lines, 0);
        return lines;
    }

    private static void add(Throwable t, String prefix, Function<StackTraceElement, String> frameName, List<String> lines, int depth) {
        // JShell reports an exception of user code as an EvalException that names the original class.
        String cls = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
        lines.add(prefix + cls + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        StackTraceElement[] frames = t.getStackTrace();
        int shown = 0;
        for (StackTraceElement f : frames) {
            if (isKernelFrame(f)) {
                break;
            }
            if (shown++ == MAX_FRAMES) {
                lines.add("\t... " + (frames.length - MAX_FRAMES) + " more");
                break;
            }
            lines.add("\tat " + frameName.apply(f));
        }
        if (t.getCause() != null && depth < MAX_CAUSES) {
            add(t.getCause(), "Caused by: ", frameName, lines, depth + 1);
        }
    }

    /** The first frame that belongs to JShell or the agent: everything below it is ours. */
    static boolean isKernelFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.Method")
                || c.startsWith("jdk.jshell.") || c.startsWith("dev.jcn.kernel.");
    }
}
