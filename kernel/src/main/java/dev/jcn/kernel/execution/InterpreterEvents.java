package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.util.concurrent.CompletableFuture;

/**
 * Where an {@link Interpreter} reports output. Implemented by the protocol layer, which decides
 * which cell (parent message) each event is shown under and coalesces bursts. Called from any thread.
 */
public interface InterpreterEvents {

    /**
     * Text written to {@code System.out} ({@code "stdout"}) or {@code System.err} ({@code "stderr"}).
     *
     * @param cell the cell whose code started the writing thread (0 when unknown)
     * @param thread the name of the writing thread, for labelling output that outlived its cell
     */
    void stream(int cell, String thread, String name, String text);

    /**
     * A rich display from {@code display(...)}; with {@code update} true it replaces the earlier
     * display that has the same {@code displayId} (update_display_data).
     */
    void display(int cell, MimeBundle bundle, String displayId, boolean update);

    /**
     * Clears the output shown so far under {@code cell} (clear_output). With {@code wait} true the
     * frontend clears only when the next output arrives, so a redrawn output does not flicker.
     * The default does nothing, for implementations that have no display area.
     */
    default void clearOutput(int cell, boolean wait) {}

    /** A comm message to the frontend, sent by a thread of {@code cell}. The default drops it. */
    default void comm(int cell, CommFrame frame) {}

    /**
     * A thread of the running cell {@code cell} reads standard input: asks the frontend for a line
     * after {@code prompt} (hidden as it is typed when {@code password}). The future completes with
     * the line, or with a refusal when the frontend takes no input or the cell ends first; it must
     * not be waited for on the thread that reports events. The default refuses at once.
     */
    default CompletableFuture<TypedInput> input(int cell, String prompt, boolean password) {
        return CompletableFuture.completedFuture(TypedInput.refused("this kernel has no frontend to ask"));
    }

    /** A new user JVM's debug agent has connected. The default lets it go: that JVM runs undebugged. */
    default void debuggee(com.sun.jdi.VirtualMachine vm) {
        vm.dispose();
    }

    /**
     * An interrupt or {@code %stop} is under way: threads a debugger holds must run on to their
     * stop checks. The default has no debugger.
     */
    default void stopping() {}
}
