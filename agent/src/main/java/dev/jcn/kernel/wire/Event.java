package dev.jcn.kernel.wire;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.util.List;

/** What the agent tells the kernel unasked. */
public sealed interface Event extends ToKernel {

    /**
     * JShell is up with the imports in place: cells can run.
     *
     * @param classDataShared whether the JVM maps a class data archive; started with a start-up cache, it
     *     does only when that cache matched the JVM and its class path
     */
    record Ready(boolean classDataShared) implements Event {}

    /** Text written to {@code System.out} and {@code System.err}, batched. */
    record Output(List<Chunk> chunks) implements Event {
        public Output {
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * Text one thread wrote to one stream.
     *
     * @param cell the cell whose code started the thread, 0 when none or for a service's thread
     * @param service the service the thread belongs to, or empty: its text goes to the kernel log
     * @param stderr whether it went to {@code System.err}
     */
    record Chunk(int cell, String service, String thread, boolean stderr, String text) {}

    /** {@code display} or {@code updateDisplay} in a thread of {@code cell}. */
    record Display(int cell, MimeBundle bundle, String displayId, boolean update) implements Event {}

    /** {@code clearOutput} in a thread of {@code cell}. */
    record Clear(int cell, boolean await) implements Event {}

    /** {@code System.exit(status)} was called by a thread of {@code cell}: the JVM is about to end. */
    record Exit(int status, int cell, String thread) implements Event {}

    /**
     * A thread of the running cell {@code cell} reads standard input: the kernel asks the frontend for a
     * line (hidden as it is typed when {@code password}) and answers with {@link Request.Input}.
     */
    record InputWanted(long input, int cell, String prompt, boolean password) implements Event {}

    /** A comm message to the frontend, sent by a thread of {@code cell} (0: none, or a service's). */
    record Comm(int cell, CommFrame frame) implements Event {}

    /**
     * A line for the kernel log: something went wrong inside the agent, a service displayed something, or
     * how the JVM started (its steps, its default imports).
     */
    record Log(String text) implements Event {}
}
