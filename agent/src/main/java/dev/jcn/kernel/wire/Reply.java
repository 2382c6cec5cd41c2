package dev.jcn.kernel.wire;

import dev.jcn.notebook.MimeBundle;
import java.util.List;
import java.util.Map;

/** The agent's answer to one {@link Request}. */
public sealed interface Reply {

    /** The cell ran; {@code value} is its last expression's rendering, or null. */
    record CellDone(MimeBundle value) implements Reply {}

    /** The cell failed: a compile error, an exception, a rejected snippet. */
    record CellFailed(String ename, String evalue, List<String> traceback) implements Reply {
        public CellFailed {
            traceback = List.copyOf(traceback);
        }
    }

    /** The cell was interrupted; {@code forced} when a forced stop (step 2) ended it. */
    record CellInterrupted(boolean forced) implements Reply {}

    /** Completions replacing {@code code[start, cursor)}; offsets are UTF-16 indexes. */
    record Completions(List<Candidate> candidates, int start) implements Reply {
        public Completions {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * One completion: {@code text} is inserted, {@code label} is shown ({@code submit(Runnable task)}
     * for {@code submit(}), {@code kind} is method, field, class, interface, enum, keyword, variable
     * or package, and {@code signature} the declaration with its type, or empty.
     */
    record Candidate(String text, String label, String kind, String signature) {}

    /** Signatures and rendered javadoc as Markdown and as plain text; both empty when nothing is known or JShell was busy. */
    record Documentation(String markdown, String plain) implements Reply {}

    /** is_complete's verdict: {@code complete}, {@code incomplete}, {@code invalid} or {@code unknown}. */
    record Completeness(String status) implements Reply {}

    /** Step 2 threw into {@code threads} threads; {@code problem} says why a stop failed, or is empty. */
    record Forced(int threads, String problem) implements Reply {}

    /** The rows of %threads. */
    record Threads(List<ThreadRow> rows) implements Reply {
        public Threads {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One live thread.
     *
     * @param cpuNanos CPU time of a platform thread, -1 when unknown (virtual threads)
     * @param cell the cell whose code started it; 0 for a service's thread
     * @param service the service it belongs to, or empty
     * @param runsCell whether it is the thread running the current cell
     */
    record ThreadRow(String name, boolean virtual, String state, long cpuNanos, int cell, String service, boolean runsCell) {}

    /** Threads with their locks, for %threads --stacks and the deadlock check of %threads. */
    record ThreadStacks(List<ThreadStack> threads) implements Reply {
        public ThreadStacks {
            threads = List.copyOf(threads);
        }
    }

    /**
     * One live thread, the lock it waits for and the locks it holds.
     *
     * @param id its {@code Thread.threadId()}
     * @param cell the cell whose code started it; 0 for a service's thread
     * @param service the service it belongs to, or empty
     * @param stack its frames, innermost first, each followed by the monitors it locked ({@code "- locked L"});
     *     empty when the stacks were not asked for
     * @param waitsFor the lock it is blocked on or parked at ({@code "Object@1b6d3586"}), or empty
     * @param holderId the id of the thread holding {@code waitsFor}, -1 when none or unknown
     * @param holder that thread's name, or empty
     * @param holds the monitors it holds, and the {@code java.util.concurrent} locks others wait for that it holds
     */
    record ThreadStack(long id, String name, boolean virtual, String state, int cell, String service, List<String> stack,
            String waitsFor, long holderId, String holder, List<String> holds) {
        public ThreadStack {
            stack = List.copyOf(stack);
            holds = List.copyOf(holds);
        }
    }

    /** The rows of %procs. */
    record Processes(List<ProcessRow> rows) implements Reply {
        public Processes {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One live descendant of the user JVM.
     *
     * @param cpuMillis CPU time, -1 when unknown
     * @param cell the cell running (or last started) when the process began, 0 when unknown
     */
    record ProcessRow(long pid, long parent, String command, long cpuMillis, int cell) {}

    /**
     * What %stop (or closing services) did.
     *
     * @param services services closed
     * @param problems one line per service whose close action failed or took too long
     * @param threads names of the threads stopped
     * @param forced how many of them ignored the interrupt and were stopped by force
     * @param alive how many are still alive
     * @param pids processes killed
     */
    record Stopped(List<String> services, List<String> problems, List<String> threads, int forced, int alive, List<Long> pids)
            implements Reply {
        public Stopped {
            services = List.copyOf(services);
            problems = List.copyOf(problems);
            threads = List.copyOf(threads);
            pids = List.copyOf(pids);
        }
    }

    /** The class path grew by {@code added}; {@code notes} says which requested jars were left out or shadow another, and why. */
    record ClasspathAdded(List<String> added, List<String> notes) implements Reply {
        public ClasspathAdded {
            added = List.copyOf(added);
            notes = List.copyOf(notes);
        }
    }

    /** A comm message was handled; {@code known} is false when its target (of an open) or its comm does not exist. */
    record CommHandled(boolean known) implements Reply {}

    /** Open comms: comm id to target name. */
    record Comms(Map<String, String> comms) implements Reply {
        public Comms {
            comms = Map.copyOf(comms);
        }
    }

    /** A notebook variable's value as displays show it; {@code bundle} is null when no variable has that name. */
    record Rendered(MimeBundle bundle) implements Reply {}

    /** Answers {@link Request.ListVariables}: one row per name, sorted by name. */
    record Variables(List<VariableRow> rows) implements Reply {
        public Variables {
            rows = List.copyOf(rows);
        }
    }

    /** A notebook variable: its name, its value's type (the declared one when null) and its value as text. */
    record VariableRow(String name, String type, String value) {}

    /** Done, with nothing to report. */
    record Done() implements Reply {}

    /**
     * The agent could not answer: an unknown request, or an exception in its handler. {@code trace}
     * is for the kernel log, {@code message} for the user.
     */
    record Failure(String message, String trace) implements Reply {}
}
