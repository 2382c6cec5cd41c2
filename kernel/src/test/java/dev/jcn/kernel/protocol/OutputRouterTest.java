package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class OutputRouterTest {

    private final OutputRouter router = new OutputRouter();

    private static JsonObject header(String id) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", id);
        return h;
    }

    @Test
    void outputOfTheRunningCellGoesToItUnchanged() {
        JsonObject cell1 = header("c1");
        router.cellStarted(1, cell1);

        OutputRouter.Routed r = router.route(1, "worker", "stdout", "hi\n");

        assertThat(r.parent()).isSameAs(cell1);
        assertThat(r.text()).isEqualTo("hi\n");
    }

    @Test
    void earlierCellsThreadWritingDuringAnotherCellIsLabelledOncePerBurst() {
        router.cellStarted(2, header("c2"));
        router.cellFinished();
        JsonObject cell3 = header("c3");
        router.cellStarted(3, cell3);

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
        router.cellStarted(4, header("c4"));

        router.route(4, "main", "stdout", "working...");
        OutputRouter.Routed r = router.route(1, "old", "stdout", "done\n");

        assertThat(r.text()).isEqualTo("\n[old, cell 1] done\n");
    }

    @Test
    void carriageReturnFramesOfAForeignSpinnerKeepTheLabel() {
        router.cellStarted(5, header("c5"));

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
        router.cellStarted(6, header("c6"));

        assertThat(router.route(1, "t", "stdout", "x\n").text()).startsWith("[t, cell 1] ");
        assertThat(router.route(1, "t", "stderr", "y\n").text()).startsWith("[t, cell 1] ");
        assertThat(router.route(1, "t", "stdout", "z\n").text()).isEqualTo("z\n");
    }

    @Test
    void outputWhileIdleGoesToTheCellThatStartedTheThread() {
        JsonObject cell1 = header("c1");
        JsonObject cell2 = header("c2");
        router.cellStarted(1, cell1);
        router.cellFinished();
        router.cellStarted(2, cell2);
        router.cellFinished();

        OutputRouter.Routed r = router.route(1, "late", "stdout", "late\n");

        assertThat(router.busy()).isFalse();
        assertThat(r.parent()).isSameAs(cell1);
        assertThat(r.text()).isEqualTo("late\n");
        assertThat(router.route(0, "unknown", "stdout", "?").parent()).isSameAs(cell2);
        assertThat(router.parentFor(1)).isSameAs(cell1);
    }

    @Test
    void aSilentRequestDoesNotBecomeTheHomeOfItsCellsLaterOutput() {
        JsonObject cell4 = header("c4");
        JsonObject silent = header("silent");
        router.cellStarted(4, cell4);
        router.cellFinished();
        router.silentCellStarted(4, silent);

        assertThat(router.route(4, "main", "stdout", "x").parent()).isSameAs(silent);
        router.cellFinished();
        assertThat(router.route(4, "worker", "stdout", "late").parent()).isSameAs(cell4);
    }

    @Test
    void unknownCellWhileBusyIsLabelledWithTheThreadOnly() {
        router.cellStarted(7, header("c7"));

        assertThat(router.route(0, "Finalizer", "stderr", "x\n").text()).isEqualTo("[Finalizer] x\n");
    }

    @Test
    void namelessThreadsAreLabelledAsSuch() {
        router.cellStarted(8, header("c8"));

        assertThat(router.route(3, "", "stdout", "v\n").text()).isEqualTo("[unnamed thread, cell 3] v\n");
    }

    @Test
    void beforeAnyCellOutputHasAnEmptyParent() {
        assertThat(router.route(0, "boot", "stdout", "x").parent().size()).isZero();
    }
}
