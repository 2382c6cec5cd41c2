package dev.jcn.helpers.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineServerTest {

    private static final Duration DELAY = Duration.ofMillis(400);

    @Test
    void anEventLoopAnswersEveryClientOnOneThreadKeepingEachConversationAsAnObject() {
        var seen = new AtomicReference<String>();
        var threads = new AtomicReference<Integer>();
        try (LineServer loop = LineServer.eventLoop(DELAY)) {
            var load = LineServer.askAll(loop, 50, () -> {
                long deadline = System.nanoTime() + DELAY.toNanos() / 2;
                // Every client has sent its line, but the loop may not have accepted or read them all yet: wait
                // (bounded) until it holds 50 conversations, none still reading, then look.
                String now;
                while (!((now = loop.waiting()).startsWith("50 ") && !now.contains("step=READING"))
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                seen.set(loop.waiting());
                threads.set(loop.threads());
            });
            assertThat(load.answered()).isEqualTo(50);
            assertThat(load.elapsed()).as("the waits overlap").isLessThan(DELAY.multipliedBy(10));
            assertThat(loop.answered()).isEqualTo(50);
        }
        assertThat(threads.get()).isEqualTo(1);
        assertThat(seen.get()).startsWith("50 conversations, all on thread event-loop")
                .contains("Conversation[step=WAITING, line=hello-");
    }

    @Test
    void virtualThreadsAnswerEveryClientEachWaitingWithItsWholeStack() {
        var seen = new AtomicReference<String>();
        var threads = new AtomicReference<Integer>();
        try (LineServer vt = LineServer.virtualThreads(DELAY)) {
            var load = LineServer.askAll(vt, 50, () -> {
                long deadline = System.nanoTime() + DELAY.toNanos();
                // A client's line is sent before its handler has read it: wait (bounded) until all handlers sleep.
                while (!vt.waiting().startsWith("50 ") && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                seen.set(vt.waiting());
                threads.set(vt.threads());
            });
            assertThat(load.answered()).isEqualTo(50);
            assertThat(load.elapsed()).isLessThan(DELAY.multipliedBy(10));
        }
        assertThat(threads.get()).isEqualTo(51);
        assertThat(seen.get()).startsWith("50 conversations, each on a virtual thread of its own")
                .contains("ThreadPerConnectionServer.answer").contains("ThreadPerConnectionServer.converse")
                .contains("Thread.sleep");
    }

    @Test
    void closingEndsEveryThread() {
        LineServer vt = LineServer.virtualThreads(Duration.ofSeconds(30));
        LineServer loop = LineServer.eventLoop(Duration.ofSeconds(30));
        vt.close();
        loop.close();
        assertThat(vt.threads()).isZero();
        assertThat(loop.threads()).isZero();
    }

    @Test
    void badArgumentsGetAClearMessage() {
        assertThatThrownBy(() -> LineServer.eventLoop(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        try (LineServer loop = LineServer.eventLoop(Duration.ZERO)) {
            assertThatThrownBy(() -> LineServer.askAll(loop, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
