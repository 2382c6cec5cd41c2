package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Event;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The user JVM's standard streams as cells see them: {@code System.out} and {@code System.err}
 * captured and sent to the kernel, {@code System.in} at its end until {@link StdinRelay} takes it
 * over, uncaught exceptions printed with the thread's name. The JVM's real standard input is the kernel's pipe: its end means the kernel is gone.
 *
 * <pre>{@code
 * UserStreams streams = UserStreams.install(outbox, session::get);
 * streams.watchKernel(dispatcher::shutdown);
 * streams.flush();   // before a cell's reply
 * }</pre>
 */
final class UserStreams {

    private final OutputCapture capture;
    private final Supplier<ShellSession> session;
    private final InputStream kernel = new FileInputStream(FileDescriptor.in);

    private UserStreams(Outbox outbox, Supplier<ShellSession> session) {
        this.capture = new OutputCapture(chunks -> outbox.send(new Event.Output(chunks)));
        this.session = session;
    }

    /** Replaces the standard streams and the handler of uncaught exceptions. */
    static UserStreams install(Outbox outbox, Supplier<ShellSession> session) {
        UserStreams streams = new UserStreams(outbox, session);
        System.setIn(InputStream.nullInputStream());
        System.setOut(streams.capture.stream(false));
        System.setErr(streams.capture.stream(true));
        Thread.setDefaultUncaughtExceptionHandler(streams::uncaught);
        return streams;
    }

    /** Runs {@code onKernelGone}, on a daemon thread, when the kernel's end of standard input closes. */
    void watchKernel(Runnable onKernelGone) {
        Thread.ofPlatform().daemon().name("kernel-stdin-watch").start(() -> {
            byte[] buffer = new byte[256];
            try {
                while (kernel.read(buffer) >= 0) {
                    // the kernel never writes; reading only detects its end
                }
            } catch (IOException e) {
                // same as end of input
            }
            onKernelGone.run();
        });
    }

    /** Sends everything written so far. */
    void flush() {
        capture.flush();
    }

    private void uncaught(Thread t, Throwable e) {
        PrintStream err = System.err;
        if (e instanceof CellStopped) {
            err.println("[thread \"" + t.getName() + "\" stopped: " + e.getMessage() + "]");
            return;
        }
        ShellSession s = session.get();
        StringBuilder text = new StringBuilder("Exception in thread \"" + t.getName() + "\" ");
        for (String line : Traces.lines(e, f -> s == null ? f.toString() : s.frame(f))) {
            text.append(line).append('\n');
        }
        err.print(text);
        err.flush();
    }
}
