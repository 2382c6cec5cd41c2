package dev.jcn.kernel.agent;

import dev.jcn.kernel.agent.debug.LockSnapshots;
import dev.jcn.kernel.wire.Answer;
import dev.jcn.kernel.wire.Call;
import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.kernel.wire.WireCodec;
import dev.jcn.kernel.wire.WireException;
import dev.jcn.notebook.Comm;
import dev.jcn.notebook.Renderers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reads the kernel's requests and answers each exactly once. Cells run on their own threads and
 * answer when they end; interrupts are handled at once on the reading thread, so they are never
 * queued behind anything; the other questions run one at a time on a thread of their own, so a slow
 * one (completion while JShell compiles) delays neither the reading nor an interrupt. A handler that
 * throws is answered with {@link Reply.Failure} carrying the trace, which the kernel logs.
 *
 * <pre>{@code
 * new Dispatcher(channel, outbox, parts...).serve();   // returns when the kernel closes the connection
 * }</pre>
 */
final class Dispatcher {

    /** How long services get to close when the user JVM is shut down; the kernel waits a little longer. */
    static final Duration SHUTDOWN_CLOSE = Duration.ofSeconds(2);

    private final WireChannel channel;
    private final Outbox outbox;
    private final Supplier<ShellSession> session;
    private final CellRuns runs;
    private final Interrupts interrupts;
    private final StopCommand stop;
    private final ProcessCensus processes;
    private final UserStreams streams;
    private final StdinRelay stdin;
    private final CommHandlers comms;
    private final ExecutorService questions = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .daemon().name("kernel-questions").unstarted(r));
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    Dispatcher(WireChannel channel, Outbox outbox, Supplier<ShellSession> session, CellRuns runs, Interrupts interrupts,
            StopCommand stop, ProcessCensus processes, UserStreams streams, StdinRelay stdin,
            CommHandlers comms) {
        this.channel = channel;
        this.outbox = outbox;
        this.session = session;
        this.runs = runs;
        this.interrupts = interrupts;
        this.stop = stop;
        this.processes = processes;
        this.streams = streams;
        this.stdin = stdin;
        this.comms = comms;
    }

    /** Serves requests until the kernel closes the connection, then shuts the JVM down. */
    void serve() {
        while (true) {
            byte[] frame;
            try {
                frame = channel.receive();
            } catch (IOException e) {
                frame = null;
            }
            if (frame == null) {
                shutdown();
                return;
            }
            onFrame(frame);
        }
    }

    /** Handles one frame from the kernel: a request, or something unreadable that still gets its answer. */
    void onFrame(byte[] frame) {
        Call call;
        try {
            call = WireCodec.decodeCall(frame);
        } catch (WireException e) {
            if (e.id() >= 0) {
                outbox.answer(e.id(), new Reply.Failure(e.getMessage(), ""));
            } else {
                outbox.send(new Event.Log("dropped an unreadable frame from the kernel: " + e.getMessage()));
            }
            return;
        }
        dispatch(call);
    }

    private void dispatch(Call call) {
        long id = call.id();
        ShellSession s = session.get();
        switch (call.request()) {
            case Request.Execute r -> answerNow(id, () -> {
                runs.start(r.cell(), r.code(), s, reply -> outbox.answer(id, reply));
                return null;
            });
            case Request.Interrupt r -> answerNow(id, () -> {
                interrupts.stopChecks(r.cell());
                return new Reply.Done();
            });
            case Request.Force r -> answerNow(id, () -> interrupts.force(r.cell()));
            case Request.Complete r -> answerLater(id, () -> s.complete(r.code(), r.cursor()));
            case Request.Inspect r -> answerLater(id, () -> s.inspect(r.code(), r.cursor()));
            case Request.RenderVariable r -> answerLater(id, () -> s.renderVariable(r.name()));
            case Request.ListVariables r -> answerLater(id, s::listVariables);
            case Request.CheckComplete r -> answerLater(id, () -> s.isComplete(r.code()));
            case Request.ListThreads r -> answerLater(id, () -> {
                Thread current = runs.current();
                return new Reply.Threads(runs.userThreads().stream().map(e -> ThreadCensus.row(e, e.thread() == current)).toList());
            });
            case Request.ThreadStacks r -> answerLater(id, () -> new Reply.ThreadStacks(LockSnapshots.take(runs.userThreads()
                    .stream().map(e -> new LockSnapshots.Subject(e.thread(), e.cell(), e.service() == null ? "" : e.service().name()))
                    .toList(), r.stacks(), s::frame)));
            case Request.ListProcesses r -> answerLater(id, () -> new Reply.Processes(processes.rows()));
            case Request.Stop r -> answerLater(id, () -> stop.stop(r.target()));
            case Request.CloseServices r -> answerLater(id, () -> stop.closeServices(Duration.ofMillis(r.millis())));
            case Request.AddClasspath r -> answerLater(id, () -> {
                Reply added = s.addToClasspath(r.entries());
                Renderers.reload();
                return added;
            });
            case Request.Input r -> answerNow(id, () -> {
                stdin.answer(r);
                return new Reply.Done();
            });
            case Request.Comm r -> answerNow(id, () -> {
                comms.deliver(r.frame(), reply -> outbox.answer(id, reply));
                return null;
            });
            case Request.StopCommHandler r -> answerNow(id, () -> comms.stop(r.force()));
            case Request.ListComms r -> answerNow(id, () -> new Reply.Comms(Comm.openComms(r.target())));
            case Request.Shutdown r -> shutdown(id);
        }
    }

    private interface Handler {
        /** The reply, or null when it will be sent later (a cell's, when it ends). */
        Reply handle() throws Exception;
    }

    private void answerNow(long id, Handler handler) {
        Reply reply;
        try {
            reply = handler.handle();
        } catch (Throwable e) {
            reply = failure(e);
        }
        if (reply != null) {
            outbox.answer(id, reply);
        }
    }

    private void answerLater(long id, Handler handler) {
        questions.execute(() -> answerNow(id, handler));
    }

    private static Reply.Failure failure(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return new Reply.Failure(e.toString(), trace.toString());
    }

    /** Ends the user JVM because the kernel is gone. */
    void shutdown() {
        shutdown(-1);
    }

    /**
     * Ends the user JVM: closes the services (bounded), kills the processes cells started, sends the
     * output still buffered and then the answer to the request {@code answering} (when it is not -1),
     * and halts once they are written. Runs once, whoever asks first: the kernel, or the end of its pipe.
     */
    private void shutdown(long answering) {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        stop.closeServices(SHUTDOWN_CLOSE);
        ProcessCensus.killAll();
        streams.flush();
        if (answering >= 0) {
            outbox.sendBeforeExit(new Answer(answering, new Reply.Done()), 500);
        }
        Runtime.getRuntime().halt(0);
    }
}
