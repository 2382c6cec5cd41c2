package dev.jcn.kernel.wire;

import dev.jcn.notebook.spi.CommFrame;
import java.util.List;

/**
 * What the kernel asks the agent in the user JVM. Every request gets exactly one {@link Reply}
 * with the request's id: the one its javadoc names, or {@link Reply.Failure} when the agent could
 * not do it.
 *
 * <pre>{@code
 * Reply.Completions c = jvm.ask(new Request.Complete("Math.ma", 7), Reply.Completions.class, Duration.ofSeconds(2));
 * }</pre>
 */
public sealed interface Request {

    /** Runs cell {@code cell}'s Java code; {@link Reply.CellDone} once it ends, however long it takes. */
    record Execute(int cell, String code) implements Request {}

    /** Completions at {@code cursor} (a UTF-16 index); {@link Reply.Completions}. */
    record Complete(String code, int cursor) implements Request {}

    /** Signatures and javadoc of the name at {@code cursor}; {@link Reply.Documentation}. */
    record Inspect(String code, int cursor) implements Request {}

    /** Whether {@code code} is a complete cell; {@link Reply.Completeness}. */
    record CheckComplete(String code) implements Request {}

    /** Interrupt step 1 for {@code cell}: stop checks and {@code Thread.interrupt}; {@link Reply.Done}. */
    record Interrupt(int cell) implements Request {}

    /** Interrupt step 2 for {@code cell}: an error thrown into its busy threads; {@link Reply.Forced}. */
    record Force(int cell) implements Request {}

    /** The live threads of cells and services; {@link Reply.Threads}. */
    record ListThreads() implements Request {}

    /**
     * The locks the live threads of cells and services wait for and hold, with their stacks when
     * {@code stacks}; without, only the threads that wait for a lock someone holds; {@link Reply.ThreadStacks}.
     */
    record ThreadStacks(boolean stacks) implements Request {}

    /**
     * The value of the notebook variable {@code name} through the display renderers, for a debugger's
     * rich view; {@link Reply.Rendered}.
     */
    record RenderVariable(String name) implements Request {}

    /**
     * The notebook's variables with their types and their values as text, read without running the
     * variables' code, for a debugger's Variables panel in a user JVM without the debug agent;
     * {@link Reply.Variables}.
     */
    record ListVariables() implements Request {}

    /** The live descendants of the user JVM; {@link Reply.Processes}. */
    record ListProcesses() implements Request {}

    /**
     * %stop: everything when {@code target} is empty, else the service, thread or process that
     * {@code target} names; {@link Reply.Stopped}.
     */
    record Stop(String target) implements Request {}

    /** Adds jars or class folders to the cells' class path; {@link Reply.ClasspathAdded}. */
    record AddClasspath(List<String> entries) implements Request {
        public AddClasspath {
            entries = List.copyOf(entries);
        }
    }

    /** Closes the open services within {@code millis}, before the kernel ends the JVM; {@link Reply.Stopped}. */
    record CloseServices(long millis) implements Request {}

    /**
     * The answer to {@link Event.InputWanted} number {@code input}: the line the reader typed, or, when
     * {@code refusal} is not empty, end of input and the one-line reason; {@link Reply.Done}.
     */
    record Input(long input, String line, String refusal) implements Request {}

    /**
     * A comm message from the frontend: its handlers run in the user JVM before the answer,
     * {@link Reply.CommHandled}.
     */
    record Comm(CommFrame frame) implements Request {}

    /**
     * An interrupt while a comm message's handlers run: step 1 ({@code force} false: stop checks and
     * {@code Thread.interrupt}) or step 2 (an error thrown into the handler's thread); {@link Reply.Forced}.
     */
    record StopCommHandler(boolean force) implements Request {}

    /** The open comms of {@code target}, or of all targets when it is empty; {@link Reply.Comms}. */
    record ListComms(String target) implements Request {}

    /**
     * Ends the user JVM: closes services, kills its processes, sends the output still buffered, then
     * {@link Reply.Done}, and halts.
     */
    record Shutdown() implements Request {}
}
