package dev.jcn.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.Completeness;
import dev.jcn.kernel.protocol.debug.DebugAdapter;
import dev.jcn.kernel.execution.Completion;
import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Inspection;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.kernel.magic.CellRunner;
import dev.jcn.kernel.magic.CellMagic;
import dev.jcn.kernel.magic.LineMagic;
import dev.jcn.kernel.magic.LocalArtifacts;
import dev.jcn.kernel.magic.MagicException;
import dev.jcn.kernel.magic.MagicParser;
import dev.jcn.kernel.magic.MagicRegistry;
import dev.jcn.kernel.magic.ParsedCell;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each request of the shell and control channels. Shell requests run one at a time on the
 * shell thread (a cell blocks the next request, as in every Jupyter kernel); control requests run
 * on the control thread, so interrupt and shutdown arrive while a cell runs.
 *
 * <pre>{@code
 * handlers.shell(shellChannel, request);     // on the shell thread
 * handlers.control(controlChannel, request); // on the control thread
 * }</pre>
 */
final class RequestHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandlers.class);
    private static final Pattern MAGIC_PREFIX = Pattern.compile("\\s*(%%?)([A-Za-z0-9_.-]*)");
    /** The coordinates being typed after {@code %maven} (and any complete ones before them). */
    private static final Pattern MAVEN_ARGUMENT = Pattern.compile("\\s*%maven\\s+(?:\\S+\\s+)*(\\S*)");

    private final MessageCodec codec;
    private final IopubPublisher iopub;
    private final NotebookOutput output;
    private final Interpreter interpreter;
    private final MagicRegistry magics;
    private final CellRunner runner;
    private final History history = new History();
    private final InterruptSources interrupts = new InterruptSources();
    private final DebugAdapter debug;
    /** The header of the last debug_request, the parent of debug events. */
    private volatile JsonObject debugParent = new JsonObject();
    private final Runnable onShutdown;
    private final StdinRequests inputs;
    private final CommRequests comms;
    private int executionCount;
    /** Made with the shell channel on the first cell; only the shell thread uses it. */
    private QuestionsDuringCell questions;

    RequestHandlers(MessageCodec codec, IopubPublisher iopub, NotebookOutput output, Interpreter interpreter,
            MagicRegistry magics, Runnable onShutdown, StdinRequests inputs,
            CommRequests comms) {
        this.codec = codec;
        this.iopub = iopub;
        this.output = output;
        this.interpreter = interpreter;
        this.magics = magics;
        this.runner = new CellRunner(magics);
        this.onShutdown = onShutdown;
        this.inputs = inputs;
        this.comms = comms;
        this.debug = new DebugAdapter(event -> iopub.publish(debugParent, "debug_event", event), this::renderVariable,
                interpreter::variables,
                interpreter::debuggerOn, ProcessHandle.current().pid());
        output.connectDebugger(debug);
    }

    /**
     * Handles one shell request, then those that arrived while it ran a cell; every request is
     * wrapped in busy/idle status messages.
     */
    void shell(Channel shell, Message request) {
        handle(shell, request);
        Message held;
        while (questions != null && (held = questions.nextHeld()) != null) {
            handle(shell, held);
        }
    }

    /** Handles {@code request} as the shell's current request: user code's comm messages are parented to it. */
    private void handle(Channel shell, Message request) {
        output.handling(request.header());
        answer(shell, request);
    }

    /** Busy, the request's reply and effects, idle. */
    private void answer(Channel shell, Message request) {
        iopub.status(request.header(), "busy");
        try {
            switch (request.type()) {
                case "execute_request" -> execute(shell, request);
                case "kernel_info_request" -> kernelInfo(shell, request);
                case "complete_request" -> reply(shell, request, "complete_reply", complete(request.content()));
                case "inspect_request" -> reply(shell, request, "inspect_reply", inspect(request.content()));
                case "is_complete_request" -> reply(shell, request, "is_complete_reply", isComplete(request.content()));
                case "history_request" -> reply(shell, request, "history_reply", history(request.content()));
                case "comm_info_request" -> reply(shell, request, "comm_info_reply", comms.info(request.content()));
                case "comm_open", "comm_msg", "comm_close" -> {
                    comms.fromFrontend(request);
                    output.flush(); // the handlers' output comes before idle
                }
                case "shutdown_request" -> shutdown(shell, request);
                default -> LOG.warn("unsupported shell request {}", request.type());
            }
        } catch (RuntimeException e) {
            LOG.error("{} failed", request.type(), e);
            replyError(shell, request, e);
        } finally {
            iopub.status(request.header(), "idle");
        }
    }

    /** A notebook variable's display for the debugger: {@code {"data", "metadata"}}, or null. */
    private JsonObject renderVariable(String name) {
        MimeBundle bundle = interpreter.renderVariable(name);
        if (bundle == null) {
            return null;
        }
        JsonObject r = new JsonObject();
        r.add("data", Bundles.data(bundle));
        r.add("metadata", Bundles.metadata(bundle));
        return r;
    }

    /** Interrupts the running cell, unless the interrupt echoes one that just came by the other source. */
    void interrupt(InterruptSources.Source source) {
        if (interrupts.admit(source, System.nanoTime())) {
            interpreter.interrupt();
        } else {
            LOG.info("interrupt by {} taken as part of the one just before it", source);
        }
    }

    /** Handles one control request. */
    void control(Channel control, Message request) {
        try {
            switch (request.type()) {
                case "interrupt_request" -> {
                    interrupt(InterruptSources.Source.REQUEST);
                    reply(control, request, "interrupt_reply", ok());
                }
                case "shutdown_request" -> shutdown(control, request);
                case "kernel_info_request" -> kernelInfo(control, request);
                case "debug_request" -> {
                    // JupyterLab's request future is done only at the idle status that follows the reply
                    iopub.status(request.header(), "busy");
                    try {
                        debugParent = request.header();
                        reply(control, request, "debug_reply", debug.reply(request.content()));
                    } finally {
                        iopub.status(request.header(), "idle");
                    }
                }
                default -> LOG.warn("unsupported control request {}", request.type());
            }
        } catch (RuntimeException e) {
            LOG.error("{} failed", request.type(), e);
            replyError(control, request, e);
        }
    }

    /** A request that failed inside the kernel still gets its reply, so the client never waits forever. */
    private void replyError(Channel channel, Message request, RuntimeException e) {
        if (request.type().endsWith("_request")) {
            reply(channel, request, request.type().replace("_request", "_reply"),
                    errorContent("KernelError", String.valueOf(e.getMessage()), List.of("KernelError: " + e)));
        }
    }

    private void kernelInfo(Channel channel, Message request) {
        reply(channel, request, "kernel_info_reply", KernelInfo.content());
    }

    private void execute(Channel shell, Message request) {
        JsonObject c = request.content();
        String code = string(c, "code", "");
        boolean silent = bool(c, "silent", false);
        boolean storeHistory = !silent && bool(c, "store_history", true);
        boolean stopOnError = bool(c, "stop_on_error", true);
        if (storeHistory) {
            executionCount++;
        }
        int cell = executionCount;
        if (storeHistory) {
            debug.cellRun(cell, code);
        }
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", cell);
            iopub.publish(request.header(), "execute_input", input);
        }
        output.cellStarted(cell, OutputRouter.Request.from(request), silent);
        String debugNotice = silent ? null : debug.noticeForCell(code);
        if (debugNotice != null) {
            output.stream(cell, "kernel", "stderr", debugNotice + "\n");
        }
        inputs.cellStarted(cell, request);
        JsonArray payload = new JsonArray();
        ExecuteResult result;
        try {
            result = questionsFor(shell).runCell(() -> runner.run(cell, code, interpreter, output,
                    page -> payload.add(pagePayload(page))), question -> answerDuringCell(shell, question, request));
        } catch (RuntimeException e) {
            LOG.error("cell {} failed inside the kernel", cell, e);
            result = new ExecuteResult.Failed("KernelError", String.valueOf(e.getMessage()), List.of("KernelError: " + e));
        } finally {
            inputs.cellFinished();
            output.cellFinished();
        }
        JsonObject content;
        String historyOutput = null;
        switch (result) {
            case ExecuteResult.Ok(MimeBundle value) -> {
                if (value != null && !silent) {
                    JsonObject r = new JsonObject();
                    r.addProperty("execution_count", cell);
                    r.add("data", Bundles.data(value));
                    r.add("metadata", Bundles.metadata(value));
                    iopub.publish(request.header(), "execute_result", r);
                }
                if (value != null && value.data().containsKey("text/plain")) {
                    historyOutput = value.text();
                }
                content = ok();
                content.add("payload", payload);
            }
            case ExecuteResult.Failed(String ename, String evalue, List<String> traceback) -> {
                content = errorContent(ename, evalue, traceback);
                if (!silent) {
                    iopub.publish(request.header(), "error", errorBody(ename, evalue, traceback));
                }
            }
        }
        content.addProperty("execution_count", cell);
        content.add("user_expressions", new JsonObject());
        if (storeHistory) {
            history.add(cell, code, historyOutput);
        }
        // Taken before the reply: a request the client sends once it has seen the error is not queued behind it.
        List<Message> waiting = result instanceof ExecuteResult.Failed && stopOnError ? waitingRequests(shell) : List.of();
        reply(shell, request, "execute_reply", content);
        for (Message next : waiting) {
            if (next.type().equals("execute_request")) {
                abort(shell, next, request);
            } else {
                handle(shell, next);
            }
        }
    }

    private static JsonObject pagePayload(MimeBundle page) {
        JsonObject p = new JsonObject();
        p.addProperty("source", "page");
        p.add("data", Bundles.data(page));
        p.addProperty("start", 0);
        return p;
    }

    /**
     * The requests waiting when a cell failed: those that arrived while it ran, then those in the socket.
     * Their execute requests are answered "aborted" without running, so "run all" stops at the first
     * error; the others are served normally.
     */
    private List<Message> waitingRequests(Channel shell) {
        List<Message> waiting = new ArrayList<>();
        Message held;
        while ((held = questionsFor(shell).nextHeld()) != null) {
            waiting.add(held);
        }
        List<byte[]> frames;
        while ((frames = shell.receive(0)) != null) {
            try {
                waiting.add(codec.decode(frames));
            } catch (InvalidMessageException e) {
                LOG.warn("dropped a shell message: {}", e.getMessage());
            }
        }
        return waiting;
    }

    private void abort(Channel shell, Message next, Message failed) {
        LOG.info("aborted execute request {} after the error in {}", next.id(), failed.id());
        iopub.status(next.header(), "busy");
        JsonObject aborted = new JsonObject();
        aborted.addProperty("status", "aborted");
        aborted.addProperty("execution_count", executionCount);
        aborted.add("user_expressions", new JsonObject());
        reply(shell, next, "execute_reply", aborted);
        iopub.status(next.header(), "idle");
    }

    /** Frees what waiting for questions during cells holds; after the shell thread has ended. */
    void close() {
        if (questions != null) {
            questions.close();
        }
    }

    private QuestionsDuringCell questionsFor(Channel shell) {
        if (questions == null) {
            questions = new QuestionsDuringCell(shell, codec);
        }
        return questions;
    }

    /**
     * Answers a question that arrived while {@code running} runs. The running cell stays the shell's
     * current request, so the comm messages its threads send keep the cell as their parent. The
     * question's idle status would tell a frontend that the kernel is idle (JupyterLab shows the
     * kernel's state from the last status), so the running cell's busy follows it.
     */
    private void answerDuringCell(Channel shell, Message question, Message running) {
        answer(shell, question);
        iopub.status(running.header(), "busy");
    }

    private JsonObject complete(JsonObject c) {
        String code = string(c, "code", "");
        int cursor = Math.clamp(integer(c, "cursor_pos", code.codePointCount(0, code.length())), 0,
                code.codePointCount(0, code.length()));
        Completion magic = completeMagic(code, cursor);
        Completion completion = magic != null ? magic : interpreter.complete(code, cursor);
        return CompletionReply.content(completion);
    }

    /**
     * Magic names for a cursor on a {@code %name} line at the top of the cell, coordinates from the
     * local Maven repository after {@code %maven}, else null.
     */
    private Completion completeMagic(String code, int cursor) {
        int charCursor = code.offsetByCodePoints(0, cursor);
        int lineStart = code.lastIndexOf('\n', charCursor - 1) + 1;
        if (!code.substring(0, lineStart).isBlank() && !MagicParser.onlyMagicLines(code.substring(0, lineStart))) {
            return null;
        }
        Matcher coordinates = MAVEN_ARGUMENT.matcher(code.substring(lineStart, charCursor));
        if (coordinates.matches()) {
            String typed = coordinates.group(1);
            List<Completion.Item> hits = LocalArtifacts.standard().complete(typed).stream()
                    .map(c -> Completion.Item.of(c, CompletionReply.ARTIFACT)).toList();
            return new Completion(hits, cursor - typed.codePointCount(0, typed.length()), cursor);
        }
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, charCursor));
        if (!m.matches()) {
            return null;
        }
        String typed = m.group(2);
        List<String> names = new ArrayList<>();
        if (m.group(1).equals("%%")) {
            for (CellMagic magic : magics.cellMagics()) {
                names.add(magic.name());
            }
        } else {
            for (LineMagic magic : magics.lineMagics()) {
                names.add(magic.name());
            }
        }
        List<Completion.Item> hits = names.stream().filter(n -> n.startsWith(typed))
                .map(n -> Completion.Item.of(n, CompletionReply.MAGIC)).toList();
        return new Completion(hits, cursor - typed.codePointCount(0, typed.length()), cursor);
    }

    private JsonObject inspect(JsonObject c) {
        String code = string(c, "code", "");
        int cursor = integer(c, "cursor_pos", code.codePointCount(0, code.length()));
        Inspection inspection = interpreter.inspect(code, cursor, integer(c, "detail_level", 0));
        boolean found = inspection.found() && inspection.bundle() != null;
        JsonObject reply = ok();
        reply.addProperty("found", found);
        reply.add("data", found ? Bundles.data(inspection.bundle()) : new JsonObject());
        reply.add("metadata", found ? Bundles.metadata(inspection.bundle()) : new JsonObject());
        return reply;
    }

    private JsonObject isComplete(JsonObject c) {
        String code = string(c, "code", "");
        JsonObject reply = new JsonObject();
        String javaCode;
        try {
            javaCode = switch (MagicParser.parse(code)) {
                case ParsedCell.Lines(var calls, String rest) -> rest;
                case ParsedCell.Whole(var name, var args, String body) -> body;
            };
        } catch (MagicException e) {
            reply.addProperty("status", "invalid");
            return reply;
        }
        if (javaCode.isBlank()) {
            reply.addProperty("status", "complete");
            return reply;
        }
        Completeness answer = interpreter.isComplete(javaCode);
        reply.addProperty("status", answer.status());
        if ("incomplete".equals(answer.status())) {
            reply.addProperty("indent", answer.indent() == null ? "" : answer.indent());
        }
        return reply;
    }

    private JsonObject history(JsonObject c) {
        boolean withOutput = bool(c, "output", false);
        List<History.Entry> entries = switch (string(c, "hist_access_type", "tail")) {
            case "range" -> history.range(integer(c, "session", 0), integer(c, "start", 0), integer(c, "stop", 0));
            case "search" -> history.search(string(c, "pattern", "*"), integer(c, "n", 0), bool(c, "unique", false));
            default -> history.tail(integer(c, "n", 10));
        };
        JsonArray items = new JsonArray();
        for (History.Entry e : entries) {
            JsonArray item = new JsonArray();
            item.add(e.session());
            item.add(e.line());
            if (withOutput) {
                JsonArray pair = new JsonArray();
                pair.add(e.input());
                pair.add(e.output());
                item.add(pair);
            } else {
                item.add(e.input());
            }
            items.add(item);
        }
        JsonObject reply = ok();
        reply.add("history", items);
        return reply;
    }

    private void shutdown(Channel channel, Message request) {
        JsonObject reply = ok();
        reply.addProperty("restart", bool(request.content(), "restart", false));
        reply(channel, request, "shutdown_reply", reply);
        LOG.info("shutdown requested (restart={})", reply.get("restart"));
        onShutdown.run();
    }

    private void reply(Channel channel, Message request, String type, JsonObject content) {
        channel.send(codec.encode(codec.reply(request, type, content)));
    }

    private static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        return o;
    }

    private static JsonObject errorBody(String ename, String evalue, List<String> traceback) {
        JsonObject o = new JsonObject();
        o.addProperty("ename", ename);
        o.addProperty("evalue", evalue);
        JsonArray tb = new JsonArray();
        traceback.forEach(tb::add);
        o.add("traceback", tb);
        return o;
    }

    private static JsonObject errorContent(String ename, String evalue, List<String> traceback) {
        JsonObject o = errorBody(ename, evalue, traceback);
        o.addProperty("status", "error");
        return o;
    }

    private static String string(JsonObject o, String name, String fallback) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? fallback : e.getAsString();
    }

    private static boolean bool(JsonObject o, String name, boolean fallback) {
        JsonElement e = o.get(name);
        return e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean() ? fallback : e.getAsBoolean();
    }

    private static int integer(JsonObject o, String name, int fallback) {
        JsonElement e = o.get(name);
        return e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() ? fallback : e.getAsInt();
    }
}
