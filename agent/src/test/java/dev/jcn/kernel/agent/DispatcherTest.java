package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.Answer;
import dev.jcn.kernel.wire.Call;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import dev.jcn.kernel.wire.ToKernel;
import dev.jcn.kernel.wire.WireChannel;
import dev.jcn.kernel.wire.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request gets exactly one answer, at once, even one the agent cannot read or whose handler
 * throws: the kernel never waits out a timeout for it, and the trace goes to the kernel, not a cell.
 */
class DispatcherTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private WireChannel agentEnd;
    private WireChannel kernelEnd;
    private ShellSession session;
    private Dispatcher dispatcher;

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("wire.sock")));
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        agentEnd = new WireChannel(SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("wire.sock"))));
        kernelEnd = new WireChannel(accepted.get(10, TimeUnit.SECONDS));
        session = ShellSession.open(CellClassPath.ofThisJvm(), ShellSession.STANDARD_IMPORTS);
        CellRuns runs = new CellRuns(new ProcessCensus(), () -> { });
        Outbox outbox = new Outbox(agentEnd, new PrintStream(PrintStream.nullOutputStream()));
        dispatcher = new Dispatcher(agentEnd, outbox, () -> session, runs, new Interrupts(runs, () -> session),
                new StopCommand(runs), new ProcessCensus(), null, new StdinRelay(outbox, runs::isRunning, () -> { }),
                new CommHandlers(() -> { }));
    }

    @AfterEach
    void close() throws IOException {
        session.close();
        kernelEnd.close();
        agentEnd.close();
        server.close();
    }

    private Answer answer() throws Exception {
        CompletableFuture<byte[]> frame = CompletableFuture.supplyAsync(() -> {
            try {
                return kernelEnd.receive();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ToKernel message = WireCodec.decodeToKernel(frame.get(5, TimeUnit.SECONDS));
        assertThat(message).isInstanceOf(Answer.class);
        return (Answer) message;
    }

    @Test
    void anUnknownRequestIsAnsweredWithATypedError() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(77);
            out.writeByte(250);
        }
        dispatcher.onFrame(bytes.toByteArray());
        Answer a = answer();
        assertThat(a.id()).isEqualTo(77);
        assertThat(a.reply()).isInstanceOfSatisfying(Reply.Failure.class,
                f -> assertThat(f.message()).contains("unknown request (tag 250)"));
    }

    @Test
    void aQueryWhoseHandlerThrowsIsAnsweredAtOnceWithTheTrace() throws Exception {
        // no file system has a path with a NUL character in it
        dispatcher.onFrame(WireCodec.encode(new Call(78, new Request.AddClasspath(List.of("bad\0path.jar")))));
        Answer a = answer();
        assertThat(a.id()).isEqualTo(78);
        assertThat(a.reply()).isInstanceOfSatisfying(Reply.Failure.class, f -> {
            assertThat(f.message()).contains("InvalidPathException");
            assertThat(f.trace()).contains("\tat ");
        });
        dispatcher.onFrame(WireCodec.encode(new Call(79, new Request.Complete("Math.ma", 7))));
        assertThat(answer().reply()).isInstanceOfSatisfying(Reply.Completions.class,
                c -> assertThat(c.candidates()).extracting(Reply.Candidate::text).contains("max("));
    }
}
