package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Answer;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.ToKernel;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.kernel.wire.WireCodec;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Everything the agent tells the kernel goes out here, from any thread.
 *
 * <pre>{@code
 * outbox.send(new Event.Log("a line for the kernel log"));
 * outbox.answer(call.id(), new Reply.Done());
 * }</pre>
 *
 * <p>When the kernel is gone nothing can be shown any more, so the user JVM ends as the kernel did,
 * after killing the processes its cells started.
 */
final class Outbox {

    private final WireChannel channel;
    private final PrintStream realErr;

    Outbox(WireChannel channel, PrintStream realErr) {
        this.channel = channel;
        this.realErr = realErr;
    }

    void send(ToKernel message) {
        try {
            channel.send(WireCodec.encode(message));
        } catch (IOException e) {
            realErr.println("kernel connection lost: " + e.getMessage());
            ProcessCensus.killAll();
            Runtime.getRuntime().halt(1);
        }
    }

    void answer(long id, Reply reply) {
        send(new Answer(id, reply));
    }

    /** Sends and waits (at most {@code millis}) until the message is written: the JVM is about to end. */
    void sendBeforeExit(ToKernel message, long millis) {
        try {
            channel.sendAndWait(WireCodec.encode(message), millis);
        } catch (IOException e) {
            // the kernel is gone already; nobody to tell
        }
    }
}
