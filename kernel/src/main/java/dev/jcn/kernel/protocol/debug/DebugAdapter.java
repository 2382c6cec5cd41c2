package dev.jcn.kernel.protocol.debug;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.StepRequest;
import dev.jcn.kernel.debug.CellDebugger;
import dev.jcn.kernel.debug.Murmur2;
import dev.jcn.kernel.execution.DebuggerSwitch;
import dev.jcn.kernel.execution.Interpreter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debug Adapter Protocol as JupyterLab 4.6 speaks it in {@code debug_request}s, answered by a
 * {@link CellDebugger} on the user JVM. JupyterLab names each cell's source file by a hash of the
 * cell's code ({@code debugInfo} tells it the hash, seed and file name parts), sets breakpoints
 * in those files at the cell's own lines, and follows the thread of the last {@code stopped}
 * event. Breakpoints outlive a restart of the user JVM.
 *
 * <p>Only a user JVM started in debug mode has the debug agent, and a JVM cannot load it later:
 * switching the debugger on ({@code initialize}) asks for such a JVM, which replaces one that holds no
 * state at once. Where cells ran, their state is kept: the reply says so, breakpoints are answered
 * unverified with the reason, and the next cell to run gets the same sentence at its top
 * ({@link #noticeForCell}), which names {@code %debugger restart}.
 *
 * <pre>{@code
 * DebugAdapter debug = new DebugAdapter(event -> iopub.publish(parent, "debug_event", event), name -> display(name),
 *         interpreter::variables, interpreter::debuggerOn, pid);
 * debug.attached(vm);                           // each new user JVM in debug mode
 * debug.cellRun(7, code);                       // before cell 7 runs
 * String notice = debug.noticeForCell(code);    // null, or one line for the top of the cell
 * JsonObject reply = debug.reply(request.content());
 * }</pre>
 *
 * <p>Refused with a message: {@code evaluate}, {@code copyToGlobals}, {@code setVariable} (values
 * are read, never computed in a stopped thread, so that looking cannot change what the cell does).
 * {@code richInspectVariables} shows a notebook variable through the display renderers.
 */
public final class DebugAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(DebugAdapter.class);
    /** Any seed serves; JupyterLab takes the one {@code debugInfo} gives. */
    static final long HASH_SEED = 0x6a636e31L;
    static final String SUFFIX = ".java";
    static final String NOTHING_TO_PAUSE = "no platform thread is running a cell's code, so nothing was paused;"
            + " this debugger cannot pause virtual threads (a breakpoint stops them), and %threads --stacks shows"
            + " where every thread the cells started is";
    /** A cell that restarts the user JVM in debug mode needs no line telling how to. */
    private static final Pattern RESTART_MAGIC = Pattern.compile("\\s*%debugger\\s+restart\\b");
    static final String NO_EVALUATION = "this kernel does not evaluate expressions in the debugger:"
            + " the Variables panel shows locals, fields and the notebook's variables";

    private final Consumer<JsonObject> events;
    private final Function<String, JsonObject> renderer;
    /** The notebook's variables read through the wire, while no debug connection can read them. */
    private final Supplier<List<Interpreter.Variable>> variablesWithoutAgent;
    private final String prefix;
    private final AtomicLong seq = new AtomicLong();
    /** Breakpoint lines by cell file. */
    private final Map<String, Set<Integer>> breakpoints = new ConcurrentHashMap<>();
    private final Map<Integer, String> fileOfCell = new ConcurrentHashMap<>();
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private volatile CellDebugger debugger;
    private volatile boolean started;
    private volatile boolean raised;
    private final Supplier<DebuggerSwitch> switchOn;
    /** What switching on did, said in the replies to {@code initialize} and {@code attach}; null before. */
    private volatile DebuggerSwitch switched;
    /** Whether the user JVM kept its state without the debug agent, until one in debug mode connects. */
    private volatile boolean stateKept;
    /** Whether the next cell gets the line saying so. */
    private final AtomicBoolean noticeDue = new AtomicBoolean();

    /**
     * {@code events} publishes a DAP event on IOPub; {@code renderer} gives a notebook variable's
     * display ({@code {"data": ..., "metadata": ...}}) or null; {@code variablesWithoutAgent} lists the
     * notebook's variables while the user JVM has no debug agent; {@code switchOn} asks for a user JVM in
     * debug mode; cell files go under a directory named by {@code pid}.
     */
    public DebugAdapter(Consumer<JsonObject> events, Function<String, JsonObject> renderer,
            Supplier<List<Interpreter.Variable>> variablesWithoutAgent, Supplier<DebuggerSwitch> switchOn, long pid) {
        this.events = events;
        this.renderer = renderer;
        this.variablesWithoutAgent = variablesWithoutAgent;
        this.switchOn = switchOn;
        this.prefix = Path.of(System.getProperty("java.io.tmpdir"), "jcn_" + pid) + "/";
    }

    /** A new user JVM's debug connection: the old one is gone, the breakpoints carry over. */
    public void attached(VirtualMachine vm) {
        CellDebugger old = debugger;
        CellDebugger d = new CellDebugger(vm, this::linesOfCell, new Events());
        debugger = d;
        stateKept = false;
        noticeDue.set(false);
        if (old != null) {
            old.close();
        }
        d.exceptions(raised);
        d.enable(started);
        LOG.info("debugger connected to the user JVM ({})", vm.description().lines().findFirst().orElse(""));
    }

    /** Cell {@code cell} is about to run {@code code}: its classes carry its number, its file is named by the code. */
    public void cellRun(int cell, String code) {
        // the code under a cell magic keeps its cell line numbers, so a %% cell is mapped as any other
        String file = fileOf(code);
        fileOfCell.put(cell, file);
        sources.put(file, code);
        withDebugger(CellDebugger::cellStarting);
    }

    /** For an interrupt or {@code %stop}: stopped threads run on to their stop checks. */
    public void stopping() {
        CellDebugger d = debugger;
        if (d != null) {
            d.release();
        }
    }

    /**
     * The line for the top of a cell about to run {@code code} while the debugger is on but the user JVM
     * kept its state without the debug agent: once, and not for the cell that restarts it. Null otherwise.
     */
    public String noticeForCell(String code) {
        if (!stateKept || RESTART_MAGIC.matcher(code).lookingAt() || !noticeDue.compareAndSet(true, false)) {
            return null;
        }
        return "[kernel] The debugger is on, but " + DebuggerSwitch.STATE_KEPT.sentence() + ".";
    }

    private Set<Integer> linesOfCell(int cell) {
        String file = fileOfCell.get(cell);
        return file == null ? Set.of() : breakpoints.getOrDefault(file, Set.of());
    }

    String fileOf(String code) {
        return prefix + Murmur2.hash(code, HASH_SEED) + SUFFIX;
    }

    /** The {@code debug_reply} content for the DAP request {@code request}. */
    public JsonObject reply(JsonObject request) {
        String command = text(request.get("command"));
        JsonObject arguments = request.get("arguments") instanceof JsonObject a ? a : new JsonObject();
        try {
            return switch (command) {
                case "debugInfo" -> success(request, debugInfo());
                case "initialize" -> {
                    switchOn();
                    JsonObject r = withSwitchMessage(success(request, capabilities()));
                    event("initialized", new JsonObject());
                    yield r;
                }
                case "attach" -> {
                    if (switched == null) {
                        switchOn();
                    }
                    started = true;
                    withDebugger(d -> d.enable(true));
                    yield withSwitchMessage(success(request, new JsonObject()));
                }
                case "configurationDone" -> success(request, new JsonObject());
                case "disconnect" -> {
                    started = false;
                    withDebugger(d -> d.enable(false));
                    JsonObject r = success(request, new JsonObject());
                    event("terminated", new JsonObject());
                    yield r;
                }
                case "dumpCell" -> success(request, dumpCell(text(arguments.get("code"))));
                case "setBreakpoints" -> success(request, setBreakpoints(arguments));
                case "setExceptionBreakpoints" -> {
                    raised = arguments.get("filters") instanceof JsonArray f && f.contains(new com.google.gson.JsonPrimitive("raised"));
                    withDebugger(d -> d.exceptions(raised));
                    yield success(request, new JsonObject());
                }
                case "source" -> source(request, arguments);
                case "threads" -> success(request, threads());
                case "stackTrace" -> success(request, stackTrace(number(arguments.get("threadId"))));
                case "scopes" -> success(request, scopes((int) number(arguments.get("frameId"))));
                case "variables" -> success(request, variables((int) number(arguments.get("variablesReference"))));
                case "inspectVariables" -> success(request, inspectVariables());
                case "continue" -> {
                    withDebugger(CellDebugger::resumeAll);
                    JsonObject body = new JsonObject();
                    body.addProperty("allThreadsContinued", true);
                    yield success(request, body);
                }
                case "next" -> step(request, arguments, StepRequest.STEP_OVER);
                case "stepIn" -> step(request, arguments, StepRequest.STEP_INTO);
                case "stepOut" -> step(request, arguments, StepRequest.STEP_OUT);
                case "pause" -> {
                    CellDebugger d = debugger;
                    yield d != null && d.pause() ? success(request, new JsonObject()) : failure(request, NOTHING_TO_PAUSE);
                }
                case "modules" -> {
                    JsonObject body = new JsonObject();
                    body.add("modules", new JsonArray());
                    body.addProperty("totalModules", 0);
                    yield success(request, body);
                }
                case "richInspectVariables" -> richInspectVariables(request, arguments);
                case "evaluate", "copyToGlobals", "setVariable", "setExpression" ->
                        failure(request, NO_EVALUATION);
                default -> failure(request, "the debugger does not know the request \"" + command + "\"");
            };
        } catch (IncompatibleThreadStateException e) {
            return failure(request, "the thread is not stopped any more");
        } catch (VMDisconnectedException e) {
            return failure(request, "the user JVM is gone; its replacement starts without the stopped threads");
        } catch (RuntimeException e) {
            LOG.warn("debug request {} failed", command, e);
            return failure(request, command + " failed: " + e);
        }
    }

    /** Asks for a user JVM in debug mode; logs, and remembers what to say, what that did. */
    private void switchOn() {
        DebuggerSwitch s = switchOn.get();
        switched = s;
        if (s == DebuggerSwitch.STATE_KEPT) {
            stateKept = true;
            noticeDue.set(true);
        }
        LOG.info("debugger switched on: {}", s.sentence());
    }

    /** A reply that says what switching on did, unless the user JVM already ran in debug mode. */
    private JsonObject withSwitchMessage(JsonObject reply) {
        DebuggerSwitch s = switched;
        if (s != null && s != DebuggerSwitch.ON) {
            reply.addProperty("message", s.sentence());
        }
        return reply;
    }

    private interface DebuggerAction {
        void run(CellDebugger d);
    }

    private void withDebugger(DebuggerAction action) {
        CellDebugger d = debugger;
        if (d != null) {
            action.run(d);
        }
    }

    private JsonObject debugInfo() {
        JsonObject body = new JsonObject();
        body.addProperty("isStarted", started);
        body.addProperty("hashMethod", "Murmur2");
        body.addProperty("hashSeed", HASH_SEED);
        body.addProperty("tmpFilePrefix", prefix);
        body.addProperty("tmpFileSuffix", SUFFIX);
        JsonArray files = new JsonArray();
        new TreeMap<>(breakpoints).forEach((file, lines) -> {
            if (lines.isEmpty()) {
                return;
            }
            JsonObject f = new JsonObject();
            f.addProperty("source", file);
            JsonArray list = new JsonArray();
            for (int line : new TreeSet<>(lines)) {
                JsonObject b = new JsonObject();
                b.addProperty("line", line);
                list.add(b);
            }
            f.add("breakpoints", list);
            files.add(f);
        });
        body.add("breakpoints", files);
        JsonArray threads = new JsonArray();
        CellDebugger d = debugger;
        if (d != null) {
            d.stoppedThreads().forEach(threads::add);
        }
        body.add("stoppedThreads", threads);
        body.addProperty("richRendering", true);
        JsonArray exceptionPaths = new JsonArray();
        exceptionPaths.add("Java Exceptions");
        body.add("exceptionPaths", exceptionPaths);
        body.addProperty("copyToGlobals", false);
        return body;
    }

    private static JsonObject capabilities() {
        JsonObject body = new JsonObject();
        body.addProperty("supportsConfigurationDoneRequest", true);
        body.addProperty("supportsEvaluateForHovers", false);
        body.addProperty("supportsSetVariable", false);
        JsonArray filters = new JsonArray();
        JsonObject raised = new JsonObject();
        raised.addProperty("filter", "raised");
        raised.addProperty("label", "Exceptions thrown in cell code");
        raised.addProperty("default", false);
        filters.add(raised);
        body.add("exceptionBreakpointFilters", filters);
        return body;
    }

    private JsonObject dumpCell(String code) {
        String file = fileOf(code);
        sources.put(file, code);
        try {
            Path path = Path.of(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, code, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot write the cell file {}: {}", file, e.toString());
        }
        JsonObject body = new JsonObject();
        body.addProperty("sourcePath", file);
        return body;
    }

    private JsonObject setBreakpoints(JsonObject arguments) {
        String file = arguments.get("source") instanceof JsonObject s ? text(s.get("path")) : "";
        Set<Integer> lines = new TreeSet<>();
        if (arguments.get("breakpoints") instanceof JsonArray list) {
            for (JsonElement b : list) {
                if (b instanceof JsonObject o && number(o.get("line")) > 0) {
                    lines.add((int) number(o.get("line")));
                }
            }
        }
        breakpoints.put(file, Set.copyOf(lines));
        withDebugger(CellDebugger::breakpointsChanged);
        boolean kept = stateKept;
        JsonArray placed = new JsonArray();
        for (int line : lines) {
            JsonObject b = new JsonObject();
            b.addProperty("verified", !kept);
            if (kept) {
                b.addProperty("message", DebuggerSwitch.STATE_KEPT.sentence());
            }
            b.addProperty("id", breakpointId(file, line));
            b.add("source", sourceAt(file));
            b.addProperty("line", line);
            placed.add(b);
        }
        JsonObject body = new JsonObject();
        body.add("breakpoints", placed);
        return body;
    }

    private static JsonObject sourceAt(String file) {
        JsonObject source = new JsonObject();
        source.addProperty("path", file);
        return source;
    }

    /** A breakpoint's id: the same for the same file and line, so that a hit names what setBreakpoints gave. */
    private static int breakpointId(String file, int line) {
        return (file + ":" + line).hashCode() & Integer.MAX_VALUE;
    }

    private JsonObject source(JsonObject request, JsonObject arguments) {
        String file = arguments.get("source") instanceof JsonObject s ? text(s.get("path")) : "";
        String code = sources.get(file);
        if (code == null) {
            return failure(request, "source unavailable");
        }
        JsonObject body = new JsonObject();
        body.addProperty("content", code);
        body.addProperty("mimeType", "text/x-java");
        return success(request, body);
    }

    private JsonObject threads() {
        JsonArray list = new JsonArray();
        CellDebugger d = debugger;
        if (d != null) {
            d.threads().forEach((id, name) -> {
                JsonObject t = new JsonObject();
                t.addProperty("id", id);
                t.addProperty("name", name);
                list.add(t);
            });
        }
        JsonObject body = new JsonObject();
        body.add("threads", list);
        return body;
    }

    private JsonObject stackTrace(long thread) throws IncompatibleThreadStateException {
        CellDebugger d = debugger;
        List<CellDebugger.Frame> frames = d == null ? List.of() : d.frames(thread);
        JsonArray list = new JsonArray();
        for (CellDebugger.Frame f : frames) {
            JsonObject frame = new JsonObject();
            frame.addProperty("id", f.id());
            frame.addProperty("name", f.name());
            String file = fileOfCell.get(f.cell());
            if (file != null && f.line() > 0) {
                frame.add("source", sourceAt(file));
                frame.addProperty("line", f.line());
                frame.addProperty("column", 1);
            } else {
                frame.addProperty("line", 0);
                frame.addProperty("column", 0);
                frame.addProperty("presentationHint", "subtle");
            }
            list.add(frame);
        }
        JsonObject body = new JsonObject();
        body.add("stackFrames", list);
        body.addProperty("totalFrames", list.size());
        return body;
    }

    private JsonObject scopes(int frameId) {
        JsonArray list = new JsonArray();
        CellDebugger d = debugger;
        if (d != null) {
            int locals = d.localsOf(frameId);
            if (locals > 0) {
                list.add(scope("Locals", locals, "locals"));
            }
            list.add(scope("Globals", d.globals(), null));
        }
        JsonObject body = new JsonObject();
        body.add("scopes", list);
        return body;
    }

    private static JsonObject scope(String name, int reference, String hint) {
        JsonObject s = new JsonObject();
        s.addProperty("name", name);
        s.addProperty("variablesReference", reference);
        s.addProperty("expensive", false);
        if (hint != null) {
            s.addProperty("presentationHint", hint);
        }
        return s;
    }

    private JsonObject variables(int reference) throws IncompatibleThreadStateException {
        CellDebugger d = debugger;
        return variablesBody(d == null ? List.of() : d.variables(reference));
    }

    private JsonObject inspectVariables() {
        CellDebugger d = debugger;
        return variablesBody(d != null ? d.notebookVariables() : variablesWithoutAgent.get().stream()
                .map(v -> new CellDebugger.Variable(v.name(), v.value(), v.type(), 0)).toList());
    }

    private static JsonObject variablesBody(List<CellDebugger.Variable> variables) {
        JsonArray list = new JsonArray();
        for (CellDebugger.Variable v : variables) {
            JsonObject o = new JsonObject();
            o.addProperty("name", v.name());
            o.addProperty("value", v.value());
            o.addProperty("type", v.type());
            o.addProperty("evaluateName", v.name());
            o.addProperty("variablesReference", v.reference());
            list.add(o);
        }
        JsonObject body = new JsonObject();
        body.add("variables", list);
        return body;
    }

    /**
     * A local of the given frame as its text (the debugger reads values, it does not run code in a
     * stopped thread); a notebook variable through the display renderers.
     */
    private JsonObject richInspectVariables(JsonObject request, JsonObject arguments) throws IncompatibleThreadStateException {
        String name = text(arguments.get("variableName"));
        CellDebugger d = debugger;
        if (d != null && arguments.has("frameId")) {
            int locals = d.localsOf((int) number(arguments.get("frameId")));
            for (CellDebugger.Variable v : locals > 0 ? d.variables(locals) : List.<CellDebugger.Variable>of()) {
                if (v.name().equals(name)) {
                    JsonObject data = new JsonObject();
                    data.addProperty("text/plain", v.value());
                    JsonObject body = new JsonObject();
                    body.add("data", data);
                    body.add("metadata", new JsonObject());
                    return success(request, body);
                }
            }
        }
        JsonObject rendered = renderer.apply(name);
        return rendered == null ? failure(request, "the notebook has no variable named \"" + name + "\"")
                : success(request, rendered);
    }

    private JsonObject step(JsonObject request, JsonObject arguments, int depth) {
        long thread = number(arguments.get("threadId"));
        withDebugger(d -> d.step(thread, depth));
        return success(request, new JsonObject());
    }

    /** Turns what the debugger reports into DAP events. */
    private final class Events implements CellDebugger.Listener {
        @Override
        public void stopped(long thread, String reason, String description, int cell, int line) {
            JsonObject body = new JsonObject();
            body.addProperty("reason", reason);
            body.addProperty("threadId", thread);
            body.addProperty("allThreadsStopped", false);
            String file = fileOfCell.get(cell);
            if (reason.equals("breakpoint") && file != null) {
                JsonArray hit = new JsonArray();
                hit.add(breakpointId(file, line));
                body.add("hitBreakpointIds", hit);
            }
            if (!description.isEmpty()) {
                body.addProperty("description", description);
                body.addProperty("text", description);
            }
            if (reason.equals("pause")) {
                body.addProperty("preserveFocusHint", true);
            }
            event("stopped", body);
        }

        @Override
        public void thread(long thread, boolean started) {
            JsonObject body = new JsonObject();
            body.addProperty("reason", started ? "started" : "exited");
            body.addProperty("threadId", thread);
            event("thread", body);
        }

        @Override
        public void continued(long thread) {
            JsonObject body = new JsonObject();
            body.addProperty("threadId", thread);
            body.addProperty("allThreadsContinued", true);
            event("continued", body);
        }

        @Override
        public void gone() {
            LOG.info("the debugger's user JVM is gone");
        }
    }

    private void event(String name, JsonObject body) {
        JsonObject e = new JsonObject();
        e.addProperty("seq", seq.incrementAndGet());
        e.addProperty("type", "event");
        e.addProperty("event", name);
        e.add("body", body);
        events.accept(e);
    }

    private JsonObject success(JsonObject request, JsonObject body) {
        JsonObject r = response(request, true);
        r.add("body", body);
        return r;
    }

    private JsonObject failure(JsonObject request, String message) {
        JsonObject r = response(request, false);
        r.addProperty("message", message);
        return r;
    }

    private JsonObject response(JsonObject request, boolean success) {
        JsonObject r = new JsonObject();
        r.addProperty("seq", seq.incrementAndGet());
        r.addProperty("type", "response");
        r.addProperty("request_seq", number(request.get("seq")));
        r.addProperty("success", success);
        r.addProperty("command", text(request.get("command")));
        return r;
    }

    private static long number(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : 0;
    }

    private static String text(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : "";
    }
}
