package dev.jcn.kernel.protocol;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the shell answer questions while a cell runs. The cell runs on a thread of its own; the shell
 * thread, the only one that reads the shell socket, keeps reading it meanwhile: completion,
 * inspection, completeness, history and kernel info are answered at once, while every other request
 * (the next cells, shutdown, comms) waits, in arrival order, until the cell has ended, exactly as it
 * would have waited in the socket.
 *
 * <pre>{@code
 * ExecuteResult r = questions.runCell(() -> runner.run(...), question -> answer(question));
 * Message next = questions.nextHeld();   // requests that arrived meanwhile, before reading the socket again
 * }</pre>
 *
 * <p>The socket is polled with a timeout that grows with the cell's age (1 ms at first, at most 50 ms
 * and a quarter of the time the cell has run), so a short cell's reply is not delayed and a long
 * cell costs the kernel a few wake-ups a second.
 */
final class QuestionsDuringCell {

    private static final Logger LOG = LoggerFactory.getLogger(QuestionsDuringCell.class);
    /** Requests that read state but change none of it the next cell depends on. */
    static final Set<String> QUESTIONS = Set.of("complete_request", "inspect_request", "is_complete_request",
            "history_request", "kernel_info_request");
    private static final int MAX_POLL_MILLIS = 50;

    private final Channel shell;
    private final MessageCodec codec;
    private final Deque<Message> held = new ArrayDeque<>();

    QuestionsDuringCell(Channel shell, MessageCodec codec) {
        this.shell = shell;
        this.codec = codec;
    }

    /**
     * Runs {@code cell} on a new thread and returns its result once it ends, answering the questions
     * that arrive meanwhile with {@code answer} on the calling (shell) thread.
     */
    <T> T runCell(Supplier<T> cell, Consumer<Message> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("jcn-cell").daemon().start(() -> {
            try {
                result.complete(cell.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        long started = System.nanoTime();
        while (!result.isDone()) {
            long ranMillis = (System.nanoTime() - started) / 1_000_000;
            int wait = (int) Math.clamp(ranMillis / 4, 1, MAX_POLL_MILLIS);
            List<byte[]> frames = shell.receive(wait);
            if (frames == null) {
                continue;
            }
            Message m;
            try {
                m = codec.decode(frames);
            } catch (InvalidMessageException e) {
                LOG.warn("dropped a shell message: {}", e.getMessage());
                continue;
            }
            if (QUESTIONS.contains(m.type())) {
                answer.accept(m);
            } else {
                held.add(m);
            }
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a cell ran", e);
        }
    }

    /** The oldest request that arrived while a cell ran and still waits, or null. */
    Message nextHeld() {
        return held.poll();
    }
}
