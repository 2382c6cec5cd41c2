package dev.jcn.kernel.execution;

/**
 * What switching the debugger on did to the user JVM ({@link Interpreter#debuggerOn()}): only a JVM
 * started in debug mode can stop at breakpoints, and a JVM cannot take the debug agent later.
 *
 * <pre>{@code
 * switch (interpreter.debuggerOn()) {
 *     case STATE_KEPT -> tellTheReader(DebuggerSwitch.STATE_KEPT.sentence());
 *     default -> { }
 * }
 * }</pre>
 */
public enum DebuggerSwitch {
    /** The user JVM already runs in debug mode. */
    ON("the user JVM runs in debug mode"),
    /** The user JVM held no state yet, so it was restarted in debug mode: nothing was lost. */
    RESTARTED("the user JVM held no state yet and was restarted in debug mode, so breakpoints stop"),
    /**
     * Cells have run in the user JVM, which runs without the debug agent; it is kept, with the notebook's
     * variables, until the reader restarts it in debug mode.
     */
    STATE_KEPT("breakpoints stop only in a user JVM started in debug mode, and this notebook's user JVM was"
            + " started without it: run %debugger restart (or restart the kernel) to restart it in debug mode,"
            + " which loses the notebook's variables, then run the cells again"),
    /** This interpreter has no debugger. */
    UNAVAILABLE("this kernel's interpreter has no debugger");

    private final String sentence;

    DebuggerSwitch(String sentence) {
        this.sentence = sentence;
    }

    /** What it means for the reader, as one sentence without a final stop. */
    public String sentence() {
        return sentence;
    }
}
