package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class OutputRouterTest {

    private final OutputRouter router = new OutputRouter(OutputRouter.Placement.RUNNING);

    /** A request as nbclient sends it: no cell id, no input allowed. */
    private static OutputRouter.Request headless(JsonObject header) {
        return new OutputRouter.Request(header, null, java.util.Set.of(), false);
    }

    private static JsonObject header(String id) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", id);
        return h;
    }

    @Test
    void outputOfTheRunningCellGoesToItUnchanged() {
        JsonObject cell1 = header("c1");
        router.cellStarted(1, headless(cell1));

        OutputRouter.Routed r = router.route(1, "worker", "stdout", "hi\n");

        assertThat(r.parent()).isSameAs(cell1);
        assertThat(r.text()).isEqualTo("hi\n");
    }

    @Test
    void earlierCellsThreadWritingDuringAnotherCellIsLabelledOncePerBurst() {
        router.cellStarted(2, headless(header("c2")));
        router.cellFinished();
        JsonObject cell3 = header("c3");
        router.cellStarted(3, headless(cell3));

        OutputRouter.Routed first = router.route(2, "ticker", "stdout", "a\n");
        OutputRouter.Routed second = router.route(2, "ticker", "stdout", "b\n");
        OutputRouter.Routed own = router.route(3, "main", "stdout", "own\n");
        OutputRouter.Routed again = router.route(2, "ticker", "stdout", "c\n");

        assertThat(first.parent()).isSameAs(cell3);
        assertThat(first.text()).isEqualTo("[ticker, cell 2] a\n");
        assertThat(second.text()).isEqualTo("b\n");
        assertThat(own.text()).isEqualTo("own\n");
        assertThat(again.text()).isEqualTo("[ticker, cell 2] c\n");
    }

    @Test
    void aBurstStartingMidLineStartsOnANewLine() {
        router.cellStarted(4, headless(header("c4")));

        router.route(4, "main", "stdout", "working...");
        OutputRouter.Routed r = router.route(1, "old", "stdout", "done\n");

        assertThat(r.text()).isEqualTo("\n[old, cell 1] done\n");
    }

    @Test
    void carriageReturnFramesOfAForeignSpinnerKeepTheLabel() {
        router.cellStarted(5, headless(header("c5")));

        OutputRouter.Routed first = router.route(2, "spinner", "stdout", "\r|");
        OutputRouter.Routed next = router.route(2, "spinner", "stdout", "\r/");
        OutputRouter.Routed trailing = router.route(2, "spinner", "stdout", "-\r");
        OutputRouter.Routed afterTrailing = router.route(2, "spinner", "stdout", "\\");

        assertThat(first.text()).isEqualTo("[spinner, cell 2] \r[spinner, cell 2] |");
        assertThat(next.text()).isEqualTo("\r[spinner, cell 2] /");
        assertThat(trailing.text()).isEqualTo("-\r");
        assertThat(afterTrailing.text()).isEqualTo("[spinner, cell 2] \\");
    }

    @Test
    void streamsAreLabelledIndependently() {
        router.cellStarted(6, headless(header("c6")));

        assertThat(router.route(1, "t", "stdout", "x\n").text()).startsWith("[t, cell 1] ");
        assertThat(router.route(1, "t", "stderr", "y\n").text()).startsWith("[t, cell 1] ");
        assertThat(router.route(1, "t", "stdout", "z\n").text()).isEqualTo("z\n");
    }

    @Test
    void outputWhileIdleGoesToTheCellThatStartedTheThread() {
        JsonObject cell1 = header("c1");
        JsonObject cell2 = header("c2");
        router.cellStarted(1, headless(cell1));
        router.cellFinished();
        router.cellStarted(2, headless(cell2));
        router.cellFinished();

        OutputRouter.Routed r = router.route(1, "late", "stdout", "late\n");

        assertThat(r.parent()).isSameAs(cell1);
        assertThat(r.text()).isEqualTo("late\n");
        assertThat(router.route(0, "unknown", "stdout", "?").parent()).isSameAs(cell2);
        assertThat(router.parentFor(1)).isSameAs(cell1);
    }

    @Test
    void aSilentRequestDoesNotBecomeTheHomeOfItsCellsLaterOutput() {
        JsonObject cell4 = header("c4");
        JsonObject silent = header("silent");
        router.cellStarted(4, headless(cell4));
        router.cellFinished();
        router.silentCellStarted(4, silent);

        assertThat(router.route(4, "main", "stdout", "x").parent()).isSameAs(silent);
        router.cellFinished();
        assertThat(router.route(4, "worker", "stdout", "late").parent()).isSameAs(cell4);
    }

    @Test
    void unknownCellWhileBusyIsLabelledWithTheThreadOnly() {
        router.cellStarted(7, headless(header("c7")));

        assertThat(router.route(0, "Finalizer", "stderr", "x\n").text()).isEqualTo("[Finalizer] x\n");
    }

    @Test
    void namelessThreadsAreLabelledAsSuch() {
        router.cellStarted(8, headless(header("c8")));

        assertThat(router.route(3, "", "stdout", "v\n").text()).isEqualTo("[unnamed thread, cell 3] v\n");
    }

    @Test
    void beforeAnyCellOutputHasAnEmptyParent() {
        assertThat(router.route(0, "boot", "stdout", "x").parent().size()).isZero();
    }

    // ---- the starting-cell rule (interactive frontends) --------------------------------------

    private static OutputRouter.Request lab(String msgId, String cellId, String... deleted) {
        return new OutputRouter.Request(header(msgId), cellId, java.util.Set.of(deleted), true);
    }

    @Test
    void interactiveRequestsGetLateOutputInTheStartingCellUnlabelled() {
        OutputRouter auto = new OutputRouter(OutputRouter.Placement.AUTO);
        OutputRouter.Request first = lab("r1", "cell-a");
        auto.cellStarted(1, first);
        auto.cellFinished();
        auto.cellStarted(2, lab("r2", "cell-b"));

        OutputRouter.Routed busy = auto.route(1, "spinner", "stdout", "\r|");
        auto.cellFinished();
        OutputRouter.Routed idle = auto.route(1, "spinner", "stdout", "\r/");

        assertThat(busy.parent()).isSameAs(first.header());
        assertThat(busy.text()).isEqualTo("\r|");
        assertThat(idle.parent()).isSameAs(first.header());
        assertThat(auto.parentFor(1)).isSameAs(first.header());
    }

    @Test
    void headlessRequestsUnderAutoKeepTheRunningCellRule() {
        OutputRouter auto = new OutputRouter(OutputRouter.Placement.AUTO);
        auto.cellStarted(1, headless(header("h1")));
        auto.cellFinished();
        JsonObject second = header("h2");
        auto.cellStarted(2, headless(second));

        OutputRouter.Routed r = auto.route(1, "ticker", "stdout", "tick\n");

        assertThat(r.parent()).isSameAs(second);
        assertThat(r.text()).isEqualTo("[ticker, cell 1] tick\n");
    }

    @Test
    void theRuleCanBeFixedWhateverTheRequestSays() {
        OutputRouter running = new OutputRouter(OutputRouter.Placement.RUNNING);
        running.cellStarted(1, lab("r1", "a"));
        running.cellFinished();
        OutputRouter.Request second = lab("r2", "b");
        running.cellStarted(2, second);
        assertThat(running.route(1, "t", "stdout", "x\n").parent()).isSameAs(second.header());

        OutputRouter starting = new OutputRouter(OutputRouter.Placement.STARTING);
        JsonObject first = header("s1");
        starting.cellStarted(1, headless(first));
        starting.cellFinished();
        starting.cellStarted(2, headless(header("s2")));
        assertThat(starting.route(1, "t", "stdout", "x\n").parent()).isSameAs(first);
    }

    @Test
    void aCellRunAgainReceivesItsEarlierRunsThreadsLabelled() {
        OutputRouter auto = new OutputRouter(OutputRouter.Placement.AUTO);
        auto.cellStarted(1, lab("r1", "cell-a"));
        auto.cellFinished();
        OutputRouter.Request rerun = lab("r2", "cell-a");
        auto.cellStarted(2, rerun);
        auto.cellFinished();

        OutputRouter.Routed r = auto.route(1, "spinner", "stdout", "old\n");

        assertThat(r.parent()).isSameAs(rerun.header());
        assertThat(r.text()).isEqualTo("[spinner, cell 1] old\n");
    }

    @Test
    void aDeletedCellsThreadsWriteLabelledToTheRunningCell() {
        OutputRouter auto = new OutputRouter(OutputRouter.Placement.AUTO);
        auto.cellStarted(1, lab("r1", "gone"));
        auto.cellFinished();
        OutputRouter.Request now = lab("r2", "here", "gone");
        auto.cellStarted(2, now);

        OutputRouter.Routed r = auto.route(1, "orphan", "stdout", "still here\n");

        assertThat(r.parent()).isSameAs(now.header());
        assertThat(r.text()).isEqualTo("[orphan, cell 1] still here\n");
    }

    @Test
    void aSilentRequestDoesNotChangeTheRule() {
        OutputRouter auto = new OutputRouter(OutputRouter.Placement.AUTO);
        OutputRouter.Request first = lab("r1", "a");
        auto.cellStarted(1, first);
        auto.cellFinished();
        auto.silentCellStarted(1, header("probe"));
        auto.cellFinished();

        assertThat(auto.route(1, "t", "stdout", "x").parent()).isSameAs(first.header());
    }

    @Test
    void requestFieldsAreReadFromAnExecuteRequest() {
        JsonObject metadata = new JsonObject();
        metadata.addProperty("cellId", "abc");
        com.google.gson.JsonArray deleted = new com.google.gson.JsonArray();
        deleted.add("old");
        metadata.add("deletedCells", deleted);
        JsonObject content = new JsonObject();
        content.addProperty("code", "1");
        content.addProperty("allow_stdin", false);
        JsonObject h = header("m1");
        Message message = new Message(java.util.List.of(), h, new JsonObject(), metadata, content, java.util.List.of());

        OutputRouter.Request r = OutputRouter.Request.from(message);

        assertThat(r.header()).isSameAs(h);
        assertThat(r.cellId()).isEqualTo("abc");
        assertThat(r.deletedCells()).containsExactly("old");
        assertThat(r.allowsInput()).isFalse();
        JsonObject bare = new JsonObject();
        bare.addProperty("code", "1");
        OutputRouter.Request defaults = OutputRouter.Request.from(
                new Message(java.util.List.of(), h, new JsonObject(), new JsonObject(), bare, java.util.List.of()));
        assertThat(defaults.cellId()).isNull();
        assertThat(defaults.allowsInput()).isTrue();
    }

    @Test
    void thePlacementIsReadFromTheEnvironmentWithAClearErrorForBadValues() {
        assertThat(OutputRouter.Placement.fromEnvironment(java.util.Map.of())).isEqualTo(OutputRouter.Placement.AUTO);
        assertThat(OutputRouter.Placement.fromEnvironment(java.util.Map.of("JCN_THREAD_OUTPUT", " Running ")))
                .isEqualTo(OutputRouter.Placement.RUNNING);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OutputRouter.Placement.fromEnvironment(java.util.Map.of("JCN_THREAD_OUTPUT", "both")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JCN_THREAD_OUTPUT=both is not one of auto, starting, running");
    }
}
