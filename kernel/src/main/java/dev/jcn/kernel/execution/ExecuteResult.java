package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;
import java.util.List;

/** How a cell ended. */
public sealed interface ExecuteResult {

    /** The cell ran; {@code value} is the last expression's rendering, or null when there is none. */
    record Ok(MimeBundle value) implements ExecuteResult {}

    /**
     * The cell failed (compile error, exception, interrupt, crash of the user JVM).
     *
     * @param ename short name, e.g. {@code CompilationError}, {@code java.lang.ArithmeticException},
     *              {@code Interrupted}, {@code UserJvmExited}
     * @param evalue one-line message
     * @param traceback lines shown to the user (may contain ANSI colours); user frames only
     */
    record Failed(String ename, String evalue, List<String> traceback) implements ExecuteResult {}
}
