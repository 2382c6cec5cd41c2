package dev.jcn.kernel.debug;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayReference;
import com.sun.jdi.CharValue;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.event.ThreadStartEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ExceptionRequest;
import com.sun.jdi.request.StepRequest;
import dev.jcn.kernel.wire.AgentLaunch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The debugger of one user JVM, over JDI, in the terms of cells: breakpoints are placed at cell
 * lines through the source map each snippet class carries (stratum {@value #STRATUM}), frames
 * report their cell and line in it, and steps pass over lines only JShell's wrapper has and over
 * the kernel's stop checks. Only the thread that reaches a breakpoint stops, so the agent, the
 * kernel's requests and every other thread go on; {@link #release} lets stopped threads run on to
 * their stop checks when a cell is interrupted or stopped.
 *
 * <pre>{@code
 * CellDebugger d = new CellDebugger(vm, cell -> breakpointLines(cell), listener);
 * d.enable(true);                    // breakpoints and class preparation watched from now on
 * d.breakpointsChanged();            // after the lines of some cell changed
 * List<CellDebugger.Frame> frames = d.frames(threadId);
 * }</pre>
 */
public final class CellDebugger implements AutoCloseable {

    /** The stratum of cell lines in the snippet classes' source maps. */
    public static final String STRATUM = "Cell";

    private static final Logger LOG = LoggerFactory.getLogger(CellDebugger.class);
    private static final Pattern SNIPPET = Pattern.compile("REPL\\.\\$JShell\\$(\\d+)([A-Z]*)((?:\\$.*)?)");
    /** Code a step passes through without stopping: the JDK and the kernel's own classes. */
    private static final List<String> NOT_STEPPED = List.of("java.*", "javax.*", "jdk.*", "sun.*", "com.sun.*", "dev.jcn.*");
    /**
     * How long after an interrupt breakpoints let threads pass, so that they reach their stop checks;
     * the next cell's start ends it sooner.
     */
    private static final long RELEASE_NANOS = 3_000_000_000L;
    private static final int MAX_ELEMENTS = 100;
    private static final int MAX_TEXT = 200;

    /** What the debugger reports. */
    public interface Listener {
        /**
         * {@code thread} stopped at line {@code line} of cell {@code cell} (0 and 0 outside cells);
         * {@code reason} is breakpoint, step, exception or pause.
         */
        void stopped(long thread, String reason, String description, int cell, int line);

        /** A platform thread started or ended ({@code started} false) while debugging. */
        void thread(long thread, boolean started);

        /** Every stopped thread runs again. */
        void continued(long thread);

        /** The JVM is gone. */
        void gone();
    }

    /** A frame of a stopped thread: in a cell ({@code cell} > 0, {@code line} in that cell) or elsewhere. */
    public record Frame(int id, String name, int cell, int line) {}

    /** A variable: {@code reference} > 0 when it has parts to list. */
    public record Variable(String name, String value, String type, int reference) {}

    /** What a variables reference lists. */
    private sealed interface Handle {}

    private record Locals(ThreadReference thread, int depth) implements Handle {}

    private record Fields(ObjectReference object) implements Handle {}

    private record Globals() implements Handle {}

    private final VirtualMachine vm;
    private final IntFunction<Set<Integer>> linesOfCell;
    private final Listener listener;
    private final EventRequestManager requests;
    private final Map<Long, ThreadReference> stopped = new LinkedHashMap<>();
    private final Map<Integer, Object> handles = new HashMap<>();
    private final Thread events;
    private ClassPrepareRequest preparing;
    private ExceptionRequest exceptions;
    private boolean enabled;
    private boolean raisedExceptions;
    /** While set, breakpoints let threads pass; {@link System#nanoTime} may be negative, hence the flag. */
    private boolean released;
    private long releasedUntil;
    private int nextHandle = 1;

    public CellDebugger(VirtualMachine vm, IntFunction<Set<Integer>> linesOfCell, Listener listener) {
        this.vm = vm;
        this.linesOfCell = linesOfCell;
        this.listener = listener;
        this.requests = vm.eventRequestManager();
        this.events = Thread.ofPlatform().daemon().name("jcn-debugger-events").start(this::eventLoop);
    }

    /** Starts or stops debugging: off, nothing is watched and every stopped thread runs on. */
    public synchronized void enable(boolean on) {
        if (on == enabled) {
            return;
        }
        enabled = on;
        try {
            if (on) {
                preparing = requests.createClassPrepareRequest();
                preparing.addClassFilter("REPL.*");
                preparing.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                preparing.enable();
                for (EventRequest r : List.of(requests.createThreadStartRequest(), requests.createThreadDeathRequest())) {
                    r.setSuspendPolicy(EventRequest.SUSPEND_NONE);
                    r.enable();
                }
                breakpointsChanged();
                exceptions(raisedExceptions);
            } else {
                requests.deleteEventRequests(List.copyOf(requests.classPrepareRequests()));
                requests.deleteEventRequests(List.copyOf(requests.threadStartRequests()));
                requests.deleteEventRequests(List.copyOf(requests.threadDeathRequests()));
                requests.deleteAllBreakpoints();
                requests.deleteEventRequests(List.copyOf(requests.exceptionRequests()));
                requests.deleteEventRequests(List.copyOf(requests.stepRequests()));
                preparing = null;
                exceptions = null;
                resumeAll();
            }
        } catch (VMDisconnectedException e) {
            // the JVM is gone; its replacement starts afresh
        }
    }

    /** Places the breakpoints again, at the lines {@code linesOfCell} gives now. */
    public synchronized void breakpointsChanged() {
        requests.deleteAllBreakpoints();
        if (!enabled) {
            return;
        }
        for (ReferenceType type : vm.allClasses()) {
            if (type.name().startsWith("REPL.") && type.isPrepared()) {
                place(type);
            }
        }
    }

    /** Whether threads stop where an exception is thrown in cell code. */
    public synchronized void exceptions(boolean raised) {
        raisedExceptions = raised;
        if (exceptions != null) {
            requests.deleteEventRequest(exceptions);
            exceptions = null;
        }
        if (enabled && raised) {
            exceptions = requests.createExceptionRequest(null, true, true);
            exceptions.addClassFilter("REPL.*");
            exceptions.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            exceptions.enable();
        }
    }

    private void place(ReferenceType type) {
        try {
            if (!type.availableStrata().contains(STRATUM)) {
                return;
            }
            for (String source : type.sourceNames(STRATUM)) {
                int cell = cellOf(source);
                if (cell <= 0) {
                    continue;
                }
                for (int line : linesOfCell.apply(cell)) {
                    for (Location at : type.locationsOfLine(STRATUM, source, line)) {
                        BreakpointRequest b = requests.createBreakpointRequest(at);
                        b.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                        b.enable();
                    }
                }
            }
        } catch (AbsentInformationException e) {
            // a class without lines has no place for a breakpoint
        }
    }

    private static int cellOf(String source) {
        try {
            return Integer.parseInt(source);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The ids of the stopped threads, the first to stop first. */
    public synchronized List<Long> stoppedThreads() {
        return List.copyOf(stopped.keySet());
    }

    /**
     * The live platform threads and the stopped ones, by id and name; not the thread the user JVM keeps
     * waiting for the next cell, which runs no code of the user's until it becomes that cell's.
     */
    public synchronized Map<Long, String> threads() {
        Map<Long, String> all = new TreeMap<>();
        try {
            for (ThreadReference t : vm.allThreads()) {
                String name = t.name();
                boolean idleCellThread = name.equals(AgentLaunch.IDLE_CELL_THREAD)
                        && t.referenceType().name().equals(AgentLaunch.CELL_THREAD_CLASS);
                if (!idleCellThread) {
                    all.put(t.uniqueID(), name);
                }
            }
        } catch (VMDisconnectedException e) {
            return Map.of();
        }
        stopped.values().forEach(t -> all.put(t.uniqueID(), t.name()));
        return all;
    }

    /** Lets every stopped thread run on. */
    public synchronized void resumeAll() {
        if (stopped.isEmpty()) {
            return;
        }
        long first = stopped.keySet().iterator().next();
        requests.deleteEventRequests(List.copyOf(requests.stepRequests()));
        for (ThreadReference t : stopped.values()) {
            resume(t);
        }
        stopped.clear();
        handles.clear();
        listener.continued(first);
    }

    /**
     * For an interrupt or {@code %stop}: every stopped thread runs on, and breakpoints let threads
     * pass for a few seconds, so that each reaches its next stop check.
     */
    public synchronized void release() {
        released = true;
        releasedUntil = System.nanoTime() + RELEASE_NANOS;
        resumeAll();
    }

    /** A new cell starts: its breakpoints hold, even within the few seconds after an interrupt. */
    public synchronized void cellStarting() {
        released = false;
    }

    /**
     * Steps {@code thread} (or the first stopped thread when it is not stopped) by {@code depth},
     * one of {@link StepRequest#STEP_OVER}, {@link StepRequest#STEP_INTO}, {@link StepRequest#STEP_OUT}.
     */
    public synchronized void step(long thread, int depth) {
        ThreadReference t = stoppedOrFirst(thread);
        if (t == null) {
            return;
        }
        requests.deleteEventRequests(List.copyOf(requests.stepRequests()));
        startStep(t, depth);
        stopped.remove(t.uniqueID());
        handles.clear();
        listener.continued(t.uniqueID());
        resume(t);
    }

    private void startStep(ThreadReference t, int depth) {
        StepRequest s = requests.createStepRequest(t, StepRequest.STEP_LINE, depth);
        NOT_STEPPED.forEach(s::addClassExclusionFilter);
        s.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        s.addCountFilter(1);
        s.enable();
    }

    /**
     * Stops the platform threads running cell code now, the first one reported; false when no thread
     * is stopped then. Virtual threads are not among them: the agent does not list them (listing
     * them would have it follow every virtual thread's start and end), so only a breakpoint stops one.
     */
    public synchronized boolean pause() {
        String first = null;
        for (ThreadReference t : vm.allThreads()) {
            if (stopped.containsKey(t.uniqueID())) {
                continue;
            }
            t.suspend();
            if (inCell(t)) {
                stopped.put(t.uniqueID(), t);
                if (first == null) {
                    first = t.name();
                    listener.stopped(t.uniqueID(), "pause", "", 0, 0);
                }
            } else {
                t.resume();
            }
        }
        return !stopped.isEmpty();
    }

    private static boolean inCell(ThreadReference t) {
        try {
            for (StackFrame f : t.frames()) {
                if (cellLine(f.location()) > 0) {
                    return true;
                }
            }
        } catch (IncompatibleThreadStateException e) {
            return false;
        }
        return false;
    }

    private ThreadReference stoppedOrFirst(long thread) {
        ThreadReference t = stopped.get(thread);
        return t != null || stopped.isEmpty() ? t : stopped.values().iterator().next();
    }

    /**
     * Undoes the one suspension this debugger keeps a stopped thread in. Not "until the count is 0":
     * a resumed thread may reach the next breakpoint at once, and that stop must hold.
     */
    private static void resume(ThreadReference t) {
        try {
            t.resume();
        } catch (VMDisconnectedException | com.sun.jdi.ObjectCollectedException e) {
            // nothing left to resume
        }
    }

    /**
     * The frames of stopped thread {@code thread}, innermost first, down to the outermost frame in
     * a cell (JShell's own frames below it are left out).
     */
    public synchronized List<Frame> frames(long thread) throws IncompatibleThreadStateException {
        ThreadReference t = stoppedOrFirst(thread);
        if (t == null) {
            return List.of();
        }
        List<StackFrame> all = t.frames();
        int last = all.size() - 1;
        while (last > 0 && cellLine(all.get(last).location()) <= 0) {
            last--;
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            Location at = all.get(i).location();
            int id = handle(new Locals(t, i));
            frames.add(new Frame(id, frameName(at), cellOf(at), cellLine(at)));
        }
        return frames;
    }

    /** The variables reference of the locals of frame {@code frameId}, or 0 when it is not a frame. */
    public synchronized int localsOf(int frameId) {
        return handles.get(frameId) instanceof Locals ? frameId : 0;
    }

    /** The reference of the notebook's variables (the cells' declared variables). */
    public synchronized int globals() {
        return handle(new Globals());
    }

    /** What {@code reference} lists: a frame's locals and {@code this}, an object's fields, an array's elements. */
    public synchronized List<Variable> variables(int reference) throws IncompatibleThreadStateException {
        Object h = handles.get(reference);
        List<Variable> out = new ArrayList<>();
        switch (h) {
            case Locals(ThreadReference t, int depth) -> {
                StackFrame f = t.frame(depth);
                ObjectReference self = f.thisObject();
                if (self != null) {
                    out.add(variable("this", self, self.referenceType().name()));
                }
                try {
                    for (LocalVariable v : f.visibleVariables()) {
                        out.add(variable(v.name(), f.getValue(v), v.typeName()));
                    }
                } catch (AbsentInformationException e) {
                    // compiled without locals: only this
                }
            }
            case Fields(ArrayReference array) -> {
                List<Value> values = array.getValues(0, Math.min(array.length(), MAX_ELEMENTS));
                for (int i = 0; i < values.size(); i++) {
                    out.add(variable("[" + i + "]", values.get(i), array.referenceType().name().replace("[]", "")));
                }
            }
            case Fields(ObjectReference object) -> {
                for (Field field : object.referenceType().allFields()) {
                    if (!field.isStatic()) {
                        out.add(variable(field.name(), object.getValue(field), field.typeName()));
                    }
                }
            }
            case Globals() -> out.addAll(notebookVariables());
            case null, default -> {
                // a reference from before the thread ran on lists nothing
            }
        }
        return out;
    }

    /**
     * The variables the cells declared, read from the snippet classes' static fields: for each
     * name the latest snippet that declares it, in its latest version.
     */
    public synchronized List<Variable> notebookVariables() {
        Map<String, Map.Entry<Long, Variable>> latest = new TreeMap<>();
        for (ReferenceType type : vm.allClasses()) {
            Matcher m = SNIPPET.matcher(type.name());
            if (!m.matches() || !m.group(3).isEmpty() || !type.isPrepared()) {
                continue;
            }
            // the snippet number orders declarations; the version letters order recompilations of one
            long order = Long.parseLong(m.group(1)) * 64 + m.group(2).length();
            for (Field field : type.fields()) {
                if (!field.isStatic() || field.isSynthetic()) {
                    continue;
                }
                Map.Entry<Long, Variable> before = latest.get(field.name());
                if (before == null || before.getKey() < order) {
                    latest.put(field.name(), Map.entry(order, variable(field.name(), type.getValue(field), field.typeName())));
                }
            }
        }
        return latest.values().stream().map(Map.Entry::getValue).toList();
    }

    private Variable variable(String name, Value value, String declared) {
        int reference = 0;
        if (value instanceof ArrayReference a && a.length() > 0) {
            reference = handle(new Fields(a));
        } else if (value instanceof ObjectReference o && !(value instanceof StringReference) && boxed(o) == null
                && !((ClassType) o.referenceType()).allFields().isEmpty()) {
            reference = handle(new Fields(o));
        }
        return new Variable(name, text(value), value == null ? declared : value.type().name(), reference);
    }

    private static String text(Value value) {
        return switch (value) {
            case null -> "null";
            case CharValue c -> "'" + c.value() + "'";
            case PrimitiveValue p -> p.toString();
            case StringReference s -> quoted(s.value());
            case ArrayReference a -> a.referenceType().name().replaceFirst("\\[]", "[" + a.length() + "]");
            case ObjectReference o -> {
                Value b = boxed(o);
                yield b != null ? text(b) : simpleName(o.referenceType().name()) + "@" + o.uniqueID();
            }
            default -> value.toString();
        };
    }

    private static String quoted(String s) {
        String shown = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "…" : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The primitive inside a boxed value, else null. */
    private static Value boxed(ObjectReference o) {
        if (!(o.referenceType() instanceof ClassType c) || !c.name().startsWith("java.lang.")) {
            return null;
        }
        Field value = c.fieldByName("value");
        Value v = value == null || value.isStatic() ? null : o.getValue(value);
        return v instanceof PrimitiveValue ? v : null;
    }

    private static String simpleName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private int handle(Object h) {
        int id = nextHandle++;
        handles.put(id, h);
        return id;
    }

    /** The cell a location's code comes from, or 0. */
    static int cellOf(Location at) {
        try {
            return cellOf(at.sourceName(STRATUM));
        } catch (AbsentInformationException e) {
            return 0;
        }
    }

    /** The line in its cell of a location, or 0 when it is not in cell code (or a line only the wrapper has). */
    static int cellLine(Location at) {
        return cellOf(at) > 0 ? Math.max(0, at.lineNumber(STRATUM)) : 0;
    }

    /** {@code total}, {@code Counter.inc}, or the cell's own code; JDK frames by their class and method. */
    static String frameName(Location at) {
        String type = at.declaringType().name();
        String method = at.method().name();
        Matcher m = SNIPPET.matcher(type);
        if (!m.matches()) {
            return type + "." + method;
        }
        String nested = m.group(3).isEmpty() ? "" : m.group(3).substring(1).replace('$', '.') + ".";
        if (method.equals("do_it$") || method.startsWith("do_it$")) {
            return "cell code";
        }
        if (method.startsWith("lambda$")) {
            return nested + "lambda";
        }
        return nested + method;
    }

    private void eventLoop() {
        try {
            while (true) {
                EventSet set = vm.eventQueue().remove();
                boolean resume = true;
                for (Event e : set) {
                    switch (e) {
                        case ClassPrepareEvent p -> prepared(p.referenceType());
                        case ThreadStartEvent s -> listener.thread(s.thread().uniqueID(), true);
                        case ThreadDeathEvent d -> listener.thread(d.thread().uniqueID(), false);
                        case BreakpointEvent b -> resume &= !stop(b, "breakpoint", "");
                        case StepEvent s -> resume &= !stepped(s);
                        case ExceptionEvent x -> resume &= !stop(x, "exception",
                                x.exception().referenceType().name());
                        case VMDeathEvent d -> {
                            // the disconnect follows
                        }
                        case VMDisconnectEvent d -> {
                            gone();
                            return;
                        }
                        default -> {
                            // other events are not asked for
                        }
                    }
                }
                if (resume) {
                    set.resume();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VMDisconnectedException e) {
            gone();
        } catch (RuntimeException e) {
            LOG.warn("the debugger's event loop failed", e);
            gone();
        }
    }

    private void gone() {
        synchronized (this) {
            stopped.clear();
            handles.clear();
        }
        listener.gone();
    }

    private synchronized void prepared(ReferenceType type) {
        if (enabled) {
            place(type);
        }
    }

    /** Whether the thread stays stopped. */
    private synchronized boolean stop(LocatableEvent e, String reason, String description) {
        if (released && System.nanoTime() - releasedUntil > 0) {
            released = false;
        }
        if (!enabled || released) {
            return false;
        }
        ThreadReference t = e.thread();
        boolean first = stopped.isEmpty();
        stopped.put(t.uniqueID(), t);
        if (first || reason.equals("step")) {
            listener.stopped(t.uniqueID(), reason, description, cellOf(e.location()), cellLine(e.location()));
        }
        return true;
    }

    /** A step that ended on a line only the wrapper has goes on, in the same direction. */
    private synchronized boolean stepped(StepEvent s) {
        StepRequest request = (StepRequest) s.request();
        requests.deleteEventRequest(request);
        if (cellLine(s.location()) <= 0 && enabled) {
            startStep(s.thread(), request.depth() == StepRequest.STEP_OUT ? StepRequest.STEP_OVER : request.depth());
            return false;
        }
        return stop(s, "step", "");
    }

    /** Stops watching; the JVM runs on (it ends with its kernel). */
    @Override
    public void close() {
        enable(false);
        events.interrupt();
    }
}
