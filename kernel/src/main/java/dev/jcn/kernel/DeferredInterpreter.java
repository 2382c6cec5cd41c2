package dev.jcn.kernel;

import dev.jcn.kernel.execution.ClasspathChange;
import dev.jcn.kernel.execution.Completeness;
import dev.jcn.kernel.execution.Completion;
import dev.jcn.kernel.execution.DebuggerSwitch;
import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Inspection;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.kernel.execution.TypedInput;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Interpreter} built on a background thread, so the kernel answers
 * {@code kernel_info_request} before the interpreter's classes are even loaded. It may start
 * before the kernel's sockets are up, so that the user JVM starts while the kernel does: what it
 * reports waits until {@link #connect} names where it goes. Until it is ready, calls wait for it; if
 * it cannot be built, cells fail with a one-line {@code KernelError}.
 *
 * <pre>{@code
 * DeferredInterpreter in = new DeferredInterpreter(events -> new UserJvmInterpreter(events));
 * in.start();          // returns at once
 * in.connect(events);  // once the kernel can publish
 * }</pre>
 */
final class DeferredInterpreter implements Interpreter {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredInterpreter.class);

    private final Function<InterpreterEvents, Interpreter> factory;
    private final CompletableFuture<Interpreter> target = new CompletableFuture<>();
    private final CompletableFuture<InterpreterEvents> events = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();

    /** The sink of {@link #connect}, for output that arrives before the kernel's sockets are up. */
    private final InterpreterEvents waitingEvents = new InterpreterEvents() {
        @Override
        public void stream(int cell, String thread, String name, String text) {
            events.join().stream(cell, thread, name, text);
        }

        @Override
        public void display(int cell, MimeBundle bundle, String displayId, boolean update) {
            events.join().display(cell, bundle, displayId, update);
        }

        @Override
        public void clearOutput(int cell, boolean wait) {
            events.join().clearOutput(cell, wait);
        }

        @Override
        public CompletableFuture<TypedInput> input(int cell, String prompt, boolean password) {
            return events.join().input(cell, prompt, password);
        }

        @Override
        public void comm(int cell, CommFrame frame) {
            events.join().comm(cell, frame);
        }

        @Override
        public void debuggee(com.sun.jdi.VirtualMachine vm) {
            events.join().debuggee(vm);
        }

        @Override
        public void stopping() {
            events.join().stopping();
        }
    };

    /** An interpreter that {@code factory} makes, reporting to the sink of {@link #connect}. */
    DeferredInterpreter(Function<InterpreterEvents, Interpreter> factory) {
        this.factory = factory;
    }

    /** Where the interpreter's output goes from now on; what it reported meanwhile waited for this. */
    void connect(InterpreterEvents sink) {
        events.complete(sink);
    }

    /** Starts building the interpreter on a thread of its own; later calls do nothing. */
    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().name("jcn-interpreter-start").daemon().start(() -> {
            try {
                Interpreter in = factory.apply(waitingEvents);
                in.start();
                target.complete(in);
                LOG.info("interpreter {} started", in.getClass().getSimpleName());
            } catch (RuntimeException | LinkageError e) {
                fail(e);
            }
        });
    }

    private void fail(Throwable cause) {
        LOG.error("cannot start the interpreter", cause);
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        target.completeExceptionally(new IllegalStateException("the Java interpreter could not start (" + reason + ")"));
    }

    private Interpreter ready() {
        try {
            return target.get();
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Java interpreter starts");
        }
    }

    /** The interpreter if it is up, else null; never waits. */
    private Interpreter ifReady() {
        return target.isDone() && !target.isCompletedExceptionally() ? target.join() : null;
    }

    @Override
    public ExecuteResult execute(int cell, String code) {
        try {
            return ready().execute(cell, code);
        } catch (IllegalStateException e) {
            return new ExecuteResult.Failed("KernelError", e.getMessage(), List.of("KernelError: " + e.getMessage()));
        }
    }

    @Override
    public Completion complete(String code, int cursor) {
        try {
            return ready().complete(code, cursor);
        } catch (IllegalStateException e) {
            return new Completion(List.of(), cursor, cursor);
        }
    }

    @Override
    public Inspection inspect(String code, int cursor, int detailLevel) {
        try {
            return ready().inspect(code, cursor, detailLevel);
        } catch (IllegalStateException e) {
            return new Inspection(false, null);
        }
    }

    @Override
    public Completeness isComplete(String code) {
        try {
            return ready().isComplete(code);
        } catch (IllegalStateException e) {
            return new Completeness("unknown", "");
        }
    }

    @Override
    public void interrupt() {
        Interpreter in = ifReady();
        if (in != null) {
            in.interrupt();
        }
    }

    @Override
    public ClasspathChange addToClasspath(List<Path> entries) {
        return ready().addToClasspath(entries);
    }

    @Override
    public MimeBundle threads() {
        return ready().threads();
    }

    @Override
    public MimeBundle threadStacks() {
        return ready().threadStacks();
    }

    @Override
    public MimeBundle renderVariable(String name) {
        return ready().renderVariable(name);
    }

    @Override
    public List<Variable> variables() {
        return ready().variables();
    }

    @Override
    public MimeBundle procs() {
        return ready().procs();
    }

    @Override
    public MimeBundle stop(String target) {
        return ready().stop(target);
    }

    @Override
    public DebuggerSwitch debuggerOn() {
        try {
            return ready().debuggerOn();
        } catch (IllegalStateException e) {
            return DebuggerSwitch.UNAVAILABLE;
        }
    }

    @Override
    public boolean restartInDebugMode() {
        return ready().restartInDebugMode();
    }

    @Override
    public boolean comm(CommFrame frame) {
        return ready().comm(frame);
    }

    @Override
    public Map<String, String> comms(String target) {
        return ready().comms(target);
    }

    @Override
    public void close() {
        try {
            // A start-up still under way is awaited briefly so its user JVM is not left behind.
            Interpreter in = target.get(2, TimeUnit.SECONDS);
            in.close();
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("no interpreter to close: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
