package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the protocol layer needs from a Java evaluator: run a cell, complete, inspect, judge
 * completeness, interrupt. The protocol layer knows nothing about JShell or the user JVM; tests
 * drive it with a small fake, and the kernel runs it with the user-JVM implementation.
 *
 * <pre>{@code
 * try (Interpreter in = new UserJvmInterpreter(events)) {
 *     in.start();
 *     ExecuteResult r = in.execute(1, "int x = 6 * 7; x");
 * }
 * }</pre>
 *
 * <p>Threads: {@link #execute} is called by one thread at a time and blocks until the cell ends.
 * {@link #interrupt} is called from another thread while {@code execute} blocks. The query methods
 * ({@code complete}, {@code inspect}, {@code isComplete}, {@code threads}, {@code procs}) may be
 * called while a cell runs and must answer promptly (within about a second) even then.
 *
 * <p>Output never travels through return values: every stream write and display, from any thread,
 * during a cell or after it, is reported to the {@link InterpreterEvents} given at construction,
 * tagged with the number of the cell whose code started the writing thread.
 */
public interface Interpreter extends AutoCloseable {

    /** Begins start-up and returns at once; the other methods wait for start-up to finish. */
    void start();

    /**
     * Runs one cell of Java code (magics already removed) and blocks until it ends.
     *
     * @param cell the execution count of the cell; events from its threads carry this number
     */
    ExecuteResult execute(int cell, String code);

    /** Completion candidates at {@code cursor} (a code-point offset into {@code code}). */
    Completion complete(String code, int cursor);

    /** Documentation of the name at {@code cursor}; {@code detailLevel} 0 or 1 as in the protocol. */
    Inspection inspect(String code, int cursor, int detailLevel);

    /** Whether {@code code} is a complete cell, needs more lines, or can never compile. */
    Completeness isComplete(String code);

    /** Stops the running cell, escalating as needed; returns at once. No-op when idle. */
    void interrupt();

    /**
     * Adds jars or class directories to the user code's class path (for %classpath and %maven), except
     * other versions of the libraries the helpers expose.
     */
    ClasspathChange addToClasspath(List<Path> entries);

    /** Live threads started by user code, as a display (for %threads). */
    MimeBundle threads();

    /** Live threads started by user code with their stacks and locks, and any deadlock (for %threads --stacks). */
    MimeBundle threadStacks();

    /**
     * The notebook variable {@code name} as a display shows it (for the debugger's rich view), or
     * null when there is no such variable. The default knows none.
     */
    default MimeBundle renderVariable(String name) {
        return null;
    }

    /**
     * The notebook's variables with their types and values as text, read without running their code
     * (for the debugger's Variables panel when the user JVM has no debug agent). The default knows none.
     */
    default List<Variable> variables() {
        return List.of();
    }

    /** A notebook variable: its name, its value's type and its value as text. */
    record Variable(String name, String type, String value) {}

    /** Live child processes of the user code, as a display (for %procs). */
    MimeBundle procs();

    /**
     * Stops background work started by cells (for %stop): all of it when {@code target} is empty,
     * else the thread with that name or the process with that pid. Returns what was stopped.
     */
    MimeBundle stop(String target);

    /**
     * Hands a comm message from the frontend to the handlers in user code and blocks until they are
     * done. Returns false when its target (of a {@code comm_open}) or its comm does not exist; the
     * default has no comms at all.
     */
    default boolean comm(CommFrame frame) {
        return false;
    }

    /** The open comms, id to target name, of {@code target}, or of every target when it is empty. */
    default Map<String, String> comms(String target) {
        return Map.of();
    }

    /**
     * The debugger has been switched on, so the user JVM must run in debug mode: one that holds no state
     * yet is restarted in it at once; one where cells ran is kept. Every later user JVM of this
     * interpreter (after a crash, an interrupt's restart) starts in debug mode too. The default has no debugger.
     */
    default DebuggerSwitch debuggerOn() {
        return DebuggerSwitch.UNAVAILABLE;
    }

    /**
     * Replaces the user JVM with one in debug mode, losing the notebook's state (for
     * {@code %debugger restart}); returns false, changing nothing, when there is no debugger.
     */
    default boolean restartInDebugMode() {
        return false;
    }

    /** Stops everything and releases every process and thread it started. Never throws. */
    @Override
    void close();
}
