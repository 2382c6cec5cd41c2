package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The shell's wait while a cell runs, over an in-process ROUTER socket. The shell thread waits for a
 * request or the cell's end with no timeout, so a cell that ended without waking it would hang these
 * tests until their bound.
 */
class QuestionsDuringCellTest {

    private static final long WAIT_SECONDS = 10;

    private final ZContext context = new ZContext();
    private final MessageCodec codec = new MessageCodec(new MessageSigner("key"));
    private ZMQ.Socket client;
    private QuestionsDuringCell questions;

    @BeforeEach
    void bind() {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.bind("inproc://shell");
        client = context.createSocket(SocketType.DEALER);
        client.connect("inproc://shell");
        questions = new QuestionsDuringCell(new Channel("shell", router), codec);
    }

    @AfterEach
    void close() {
        questions.close();
        context.close();
    }

    private String send(String type) {
        Message m = new Message(List.of(), codec.header(type), new JsonObject(), new JsonObject(), new JsonObject(), List.of());
        List<byte[]> frames = codec.encode(m);
        for (int i = 0; i < frames.size(); i++) {
            client.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        return m.id();
    }

    /** Runs {@code questions.runCell} on a thread of its own, as the shell thread would. */
    private <T> CompletableFuture<T> onShellThread(java.util.function.Supplier<T> cell, List<Message> answered) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(questions.runCell(cell, answered::add));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void theCellsEndWakesTheShellThoughNoRequestArrives() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> result = onShellThread(() -> {
            started.countDown();
            await(release);
            return "done";
        }, new CopyOnWriteArrayList<>());

        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(result).isNotDone();
        release.countDown();
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void aCellThatThrowsWakesTheShellWithItsException() {
        CompletableFuture<Object> result = onShellThread(() -> {
            throw new IllegalArgumentException("broken cell");
        }, new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> result.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessage("broken cell");
    }

    @Test
    void manyShortCellsInARowEachReturn() throws Exception {
        for (int i = 0; i < 200; i++) {
            int n = i;
            assertThat(onShellThread(() -> n, new CopyOnWriteArrayList<>()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(n);
        }
    }

    @Test
    void questionsAreAnsweredAtOnceAndOtherRequestsHeldInOrderUntilTheCellEnds() throws Exception {
        List<Message> answered = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> result = onShellThread(() -> {
            await(release);
            return "done";
        }, answered);

        String next = send("execute_request");
        String shutdown = send("shutdown_request");
        String question = send("complete_request");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (answered.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(answered).extracting(Message::id).containsExactly(question);
        assertThat(result).isNotDone();
        release.countDown();
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(questions.nextHeld().id()).isEqualTo(next);
        assertThat(questions.nextHeld().id()).isEqualTo(shutdown);
        assertThat(questions.nextHeld()).isNull();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
