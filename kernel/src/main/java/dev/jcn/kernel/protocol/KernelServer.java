package dev.jcn.kernel.protocol;

import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.kernel.magic.MagicRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A running Jupyter kernel: the five sockets of a connection file, bound, each served on its own
 * thread (shell, control, stdin, heartbeat; IOPub written from any thread), answering with an
 * {@link Interpreter}. Wrongly signed or unreadable messages are logged and dropped; the loops
 * keep serving.
 *
 * <pre>{@code
 * try (KernelServer server = KernelServer.start(ConnectionInfo.read(file), UserJvmInterpreter::new)) {
 *     server.awaitShutdown();   // until a shutdown_request arrives
 * }
 * }</pre>
 */
public final class KernelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelServer.class);
    private static final int POLL_MILLIS = 50;
    private static final int LINGER_MILLIS = 1000;
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(3);

    private final ZContext context = new ZContext();
    private final MessageCodec codec;
    private final Channel iopub;
    private final Channel shell;
    private final Channel control;
    private final Channel stdin;
    private final StdinRequests inputs;
    private final Heartbeat heartbeat;
    private final NotebookOutput output;
    private final Interpreter interpreter;
    private final RequestHandlers handlers;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Thread shellThread;
    private final Thread controlThread;
    private final Thread stdinThread;
    private volatile boolean running = true;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KernelServer(ConnectionInfo info, Function<InterpreterEvents, Interpreter> interpreters) {
        // ZeroMQ's own threads report their failures (a closed channel while sockets go away) to the
        // kernel log, never to the kernel's stderr.
        context.setUncaughtExceptionHandler((t, e) -> LOG.warn("ZeroMQ thread {} failed", t.getName(), e));
        context.setNotificationExceptionHandler((t, e) -> LOG.warn("ZeroMQ thread {} failed to notify", t.getName(), e));
        this.codec = new MessageCodec(new MessageSigner(info.key()));
        this.iopub = new Channel("iopub", bind(SocketType.PUB, info, info.iopubPort()));
        this.shell = new Channel("shell", bind(SocketType.ROUTER, info, info.shellPort()));
        this.control = new Channel("control", bind(SocketType.ROUTER, info, info.controlPort()));
        this.stdin = new Channel("stdin", bind(SocketType.ROUTER, info, info.stdinPort()));
        this.inputs = new StdinRequests(stdin, codec);
        this.heartbeat = new Heartbeat(bind(SocketType.REP, info, info.hbPort()));
        IopubPublisher publisher = new IopubPublisher(iopub, codec);
        this.output = new NotebookOutput(publisher, placement(), inputs);
        this.interpreter = interpreters.apply(output);
        CommRequests comms = new CommRequests(publisher, interpreter);
        output.connectComms(comms);
        this.handlers = new RequestHandlers(codec, publisher, output, interpreter, MagicRegistry.standard(),
                shutdown::countDown, inputs, comms);
        this.shellThread = Thread.ofPlatform().name("jcn-shell").daemon().unstarted(() -> serve(shell, handlers::shell));
        this.controlThread = Thread.ofPlatform().name("jcn-control").daemon().unstarted(() -> serve(control, handlers::control));
        this.stdinThread = Thread.ofPlatform().name("jcn-stdin").daemon().unstarted(() -> serve(stdin, (ch, m) -> inputs.received(m)));
    }

    /** The rule for late thread output, from {@code JCN_THREAD_OUTPUT}; a bad value is reported and ignored. */
    private static OutputRouter.Placement placement() {
        try {
            return OutputRouter.Placement.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; using auto", e.getMessage());
            System.err.println("java-concurrency kernel: " + e.getMessage() + "; using auto");
            return OutputRouter.Placement.AUTO;
        }
    }

    /**
     * Binds the sockets of {@code info} and starts serving. {@code interpreters} makes the
     * interpreter from the output sink it must report to; the server owns and closes it.
     */
    public static KernelServer start(ConnectionInfo info, Function<InterpreterEvents, Interpreter> interpreters) {
        KernelServer server = new KernelServer(info, interpreters);
        // The user JVM starts (and warms JShell up) while the kernel answers its first requests: on two
        // cores the two start-ups overlap, and the first cell finds a ready JShell sooner.
        server.interpreter.start();
        server.shellThread.start();
        server.controlThread.start();
        server.stdinThread.start();
        LOG.info("kernel listening on {} (shell {}, iopub {}, control {}, stdin {}, hb {})", info.ip(),
                info.shellPort(), info.iopubPort(), info.controlPort(), info.stdinPort(), info.hbPort());
        return server;
    }

    /** Interrupts the running cell, as an interrupt_request would (for a SIGINT sent to the kernel). */
    public void interrupt() {
        handlers.interrupt(InterruptSources.Source.SIGNAL);
    }

    /** Blocks until a client asks the kernel to shut down. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    private ZMQ.Socket bind(SocketType type, ConnectionInfo info, int port) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(LINGER_MILLIS);
        String address = info.address(port);
        try {
            socket.bind(address);
        } catch (RuntimeException e) {
            context.close();
            throw new IllegalStateException("cannot bind " + address + ": " + e.getMessage(), e);
        }
        return socket;
    }

    private void serve(Channel channel, BiConsumer<Channel, Message> handler) {
        while (running) {
            List<byte[]> frames;
            try {
                frames = channel.receive(POLL_MILLIS);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("{} socket failed; stopping its loop", channel.name(), e);
                }
                return;
            }
            if (frames == null) {
                continue;
            }
            Message request;
            try {
                request = codec.decode(frames);
            } catch (InvalidMessageException e) {
                LOG.warn("dropped a {} message: {}", channel.name(), e.getMessage());
                continue;
            }
            LOG.debug("{} <- {}", channel.name(), request.type());
            try {
                handler.accept(channel, request);
            } catch (RuntimeException e) {
                LOG.error("{} handler failed on {}; still serving", channel.name(), request.type(), e);
            }
        }
    }

    /** Closes the interpreter (bounded wait), then the loops and sockets; idempotent, never throws. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread closer = Thread.ofPlatform().name("jcn-interpreter-close").daemon().start(() -> {
            try {
                interpreter.close();
            } catch (RuntimeException e) {
                LOG.warn("interpreter close failed", e);
            }
        });
        try {
            if (!closer.join(CLOSE_BUDGET)) {
                LOG.warn("interpreter did not close within {}", CLOSE_BUDGET);
            }
            running = false;
            shellThread.join(CLOSE_BUDGET);
            controlThread.join(CLOSE_BUDGET);
            stdinThread.join(CLOSE_BUDGET);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.close();
        output.close();
        heartbeat.close();
        // Closes every socket, delivering queued replies within the linger time.
        context.close();
        LOG.info("kernel closed");
    }
}
