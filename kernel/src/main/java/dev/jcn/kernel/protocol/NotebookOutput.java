package dev.jcn.kernel.protocol;

import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.kernel.protocol.debug.DebugAdapter;
import dev.jcn.kernel.execution.TypedInput;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel's side of {@link InterpreterEvents}: routes each stream write and display to a request
 * with {@link OutputRouter}, coalesces stream text with {@link StreamCoalescer}, and publishes the
 * result on IOPub as {@code stream}, {@code display_data}, {@code update_display_data} and
 * {@code clear_output} messages; asks for lines of input through {@link StdinRequests}.
 *
 * <pre>{@code
 * try (NotebookOutput out = new NotebookOutput(publisher, OutputRouter.Placement.AUTO)) {
 *     out.cellStarted(1, OutputRouter.Request.from(request), false);
 *     out.stream(1, "main", "stdout", "hello\n");
 *     out.cellFinished();   // flushed: every byte is out before the reply
 * }
 * }</pre>
 *
 * <p>Thread-safe: the interpreter calls it from any thread.
 */
final class NotebookOutput implements InterpreterEvents, AutoCloseable {

    static final Duration FLUSH_INTERVAL = Duration.ofMillis(50);
    static final int MAX_BUFFERED_CHARS = 64 * 1024;

    private final IopubPublisher publisher;
    private final OutputRouter router;
    private final StreamCoalescer coalescer;
    private final StdinRequests inputs;
    private volatile CommRequests comms;
    private volatile DebugAdapter debugger;
    private com.sun.jdi.VirtualMachine waitingDebuggee;
    /** The shell request being handled, or the last one: the parent of user code's comm messages, as in ipykernel. */
    private volatile JsonObject shellParent = new JsonObject();

    NotebookOutput(IopubPublisher publisher, OutputRouter.Placement placement, StdinRequests inputs) {
        this.publisher = publisher;
        this.inputs = inputs;
        this.router = new OutputRouter(placement);
        this.coalescer = new StreamCoalescer(this::publishStream, FLUSH_INTERVAL, MAX_BUFFERED_CHARS);
    }

    private void publishStream(JsonObject parent, String name, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", name);
        content.addProperty("text", text);
        publisher.publish(parent, "stream", content);
    }

    /** A cell begins; a {@code silent} one is not remembered as the home of its threads' output. */
    synchronized void cellStarted(int cell, OutputRouter.Request request, boolean silent) {
        coalescer.flush();
        if (silent) {
            router.silentCellStarted(cell, request.header());
        } else {
            router.cellStarted(cell, request);
        }
    }

    /** Ends the running cell, with all its buffered text published. */
    synchronized void cellFinished() {
        coalescer.flush();
        router.cellFinished();
    }

    @Override
    public synchronized void stream(int cell, String thread, String name, String text) {
        String stream = "stderr".equals(name) ? "stderr" : "stdout";
        OutputRouter.Routed r = router.route(cell, thread, stream, text);
        coalescer.append(r.parent(), stream, r.text());
    }

    @Override
    public void display(int cell, MimeBundle bundle, String displayId, boolean update) {
        JsonObject parent;
        synchronized (this) {
            parent = router.parentFor(cell);
            coalescer.flush();
        }
        JsonObject content = new JsonObject();
        content.add("data", Bundles.data(bundle));
        content.add("metadata", Bundles.metadata(bundle));
        JsonObject transientPart = new JsonObject();
        if (displayId != null) {
            transientPart.addProperty("display_id", displayId);
        }
        content.add("transient", transientPart);
        publisher.publish(parent, update ? "update_display_data" : "display_data", content);
    }

    @Override
    public void clearOutput(int cell, boolean wait) {
        JsonObject parent;
        synchronized (this) {
            parent = router.parentFor(cell);
            coalescer.flush();
        }
        JsonObject content = new JsonObject();
        content.addProperty("wait", wait);
        publisher.publish(parent, "clear_output", content);
    }

    /** Where the user JVM's debug connection goes. */
    synchronized void connectDebugger(DebugAdapter adapter) {
        debugger = adapter;
        if (waitingDebuggee != null) {
            adapter.attached(waitingDebuggee);
            waitingDebuggee = null;
        }
    }

    @Override
    public synchronized void debuggee(com.sun.jdi.VirtualMachine vm) {
        if (debugger != null) {
            debugger.attached(vm);
        } else {
            waitingDebuggee = vm; // the user JVM started before the kernel's requests are served
        }
    }

    @Override
    public void stopping() {
        DebugAdapter d = debugger;
        if (d != null) {
            d.stopping();
        }
    }

    /** Where user code's comm messages go: set once the interpreter that the comms need exists. */
    void connectComms(CommRequests requests) {
        comms = requests;
    }

    /** The shell channel has started on {@code request}. */
    void handling(JsonObject requestHeader) {
        shellParent = requestHeader;
    }

    /** Publishes the text buffered so far. */
    synchronized void flush() {
        coalescer.flush();
    }

    @Override
    public void comm(int cell, CommFrame frame) {
        CommRequests c = comms;
        if (c == null) {
            return;
        }
        flush(); // what the thread printed before the message comes first
        c.toFrontend(shellParent, frame);
    }

    @Override
    public CompletableFuture<TypedInput> input(int cell, String prompt, boolean password) {
        synchronized (this) {
            coalescer.flush(); // the question the cell printed goes out before the box
        }
        return inputs.ask(cell, prompt, password);
    }

    @Override
    public void close() {
        coalescer.close();
    }
}
