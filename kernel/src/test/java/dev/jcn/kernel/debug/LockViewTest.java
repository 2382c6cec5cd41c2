package dev.jcn.kernel.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.MimeBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockViewTest {

    private static Reply.ThreadStack waiting(long id, String name, String waitsFor, long holderId, String holder, String... holds) {
        return new Reply.ThreadStack(id, name, false, "BLOCKED", 3, "", List.of("at Demo.run(Demo.java:4)"), waitsFor, holderId,
                holder, List.of(holds));
    }

    @Test
    void twoThreadsInOppositeOrderReadAsTheirCycle() {
        List<Reply.ThreadStack> threads = List.of(waiting(41, "right", "Object@b", 40, "left", "Object@a"),
                waiting(40, "left", "Object@a", 41, "right", "Object@b"));
        assertThat(LockView.deadlocks(threads))
                .containsExactly("deadlock: left holds Object@b, waits for Object@a held by right, which waits for Object@b");
    }

    @Test
    void aLongerCycleStartsAtItsOldestThreadAndNamesEveryLock() {
        List<Reply.ThreadStack> threads = List.of(waiting(7, "c", "L1", 5, "a"), waiting(5, "a", "L2", 6, "b"),
                waiting(6, "b", "L3", 7, "c"));
        assertThat(LockView.deadlocks(threads)).containsExactly(
                "deadlock: a holds L1, waits for L2 held by b, which waits for L3 held by c, which waits for L1");
    }

    @Test
    void aThreadQueuedBehindACycleIsNotPartOfIt() {
        List<Reply.ThreadStack> threads = List.of(waiting(9, "late", "L1", 5, "a"), waiting(5, "a", "L2", 6, "b"),
                waiting(6, "b", "L1", 5, "a"), waiting(10, "other", "L9", 11, "runner"));
        assertThat(LockView.deadlocks(threads)).containsExactly("deadlock: a holds L1, waits for L2 held by b, which waits for L1");
    }

    @Test
    void waitingForAThreadThatRunsIsNoDeadlock() {
        List<Reply.ThreadStack> threads = List.of(waiting(5, "a", "L2", 6, "b"), waiting(6, "b", "", -1, "", "L2"));
        assertThat(LockView.deadlocks(threads)).isEmpty();
        MimeBundle listing = MimeBundle.text("table").with("text/html", "<table></table>");
        assertThat(LockView.withDeadlocks(listing, threads)).isSameAs(listing);
    }

    @Test
    void theStackViewShowsStateLocksHolderAndFrames() {
        List<Reply.ThreadStack> threads = List.of(waiting(40, "left", "Object@a", 41, "right", "Object@b"),
                waiting(41, "right", "Object@b", 40, "left", "Object@a"),
                new Reply.ThreadStack(42, "idle", true, "WAITING", 4, "", List.of(), "", -1, "", List.of()));
        String text = LockView.stacks(threads).text();
        assertThat(text).startsWith("3 live threads of cells and services\n");
        assertThat(text).contains("left (platform, BLOCKED, cell 3)\n  waits for Object@a held by right\n  holds Object@b\n"
                + "    at Demo.run(Demo.java:4)\n");
        assertThat(text).contains("idle (virtual, WAITING, cell 4)\n");
        assertThat(text).endsWith("\ndeadlock: left holds Object@b, waits for Object@a held by right, which waits for Object@b");
    }
}
