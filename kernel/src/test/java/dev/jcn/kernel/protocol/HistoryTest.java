package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryTest {

    private final History history = new History();

    {
        history.add(1, "int x = 1;", null);
        history.add(2, "x + 1", "2");
        history.add(3, "x + 2", "3");
        history.add(4, "x + 1", "2");
    }

    @Test
    void tailReturnsTheLastNOldestFirst() {
        assertThat(history.tail(2)).extracting(History.Entry::line).containsExactly(3, 4);
        assertThat(history.tail(10)).hasSize(4);
    }

    @Test
    void rangeIsHalfOpenAndKnowsOnlyThisSession() {
        assertThat(history.range(History.SESSION, 2, 4)).extracting(History.Entry::line).containsExactly(2, 3);
        assertThat(history.range(0, 3, 0)).extracting(History.Entry::line).containsExactly(3, 4);
        assertThat(history.range(99, 1, 5)).isEmpty();
    }

    @Test
    void searchMatchesWholeInputsByGlobWithUniqueAndN() {
        assertThat(history.search("x + ?", 0, false)).extracting(History.Entry::line).containsExactly(2, 3, 4);
        assertThat(history.search("x + ?", 0, true)).extracting(History.Entry::line).containsExactly(3, 4);
        assertThat(history.search("x*", 2, false)).extracting(History.Entry::line).containsExactly(3, 4);
        assertThat(history.search("x", 0, false)).isEmpty();
        assertThat(history.search("int x = 1;", 0, false)).hasSize(1);
    }
}
