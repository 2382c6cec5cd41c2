package dev.jcn.kernel.protocol;

import static dev.jcn.kernel.protocol.InterruptSources.Source.REQUEST;
import static dev.jcn.kernel.protocol.InterruptSources.Source.SIGNAL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterruptSourcesTest {

    private static final long MS = 1_000_000L;

    @Test
    void aSignalRightAfterARequestIsTheSameGestureAndSoIsTheReverse() {
        InterruptSources sources = new InterruptSources();
        assertThat(sources.admit(REQUEST, 0)).isTrue();
        assertThat(sources.admit(SIGNAL, 300 * MS)).isFalse();
        InterruptSources reverse = new InterruptSources();
        assertThat(reverse.admit(SIGNAL, 0)).isTrue();
        assertThat(reverse.admit(REQUEST, 999 * MS)).isFalse();
    }

    @Test
    void interruptsFromOneSourceAlwaysCount() {
        InterruptSources sources = new InterruptSources();
        assertThat(sources.admit(REQUEST, 0)).isTrue();
        assertThat(sources.admit(REQUEST, 10 * MS)).isTrue();
        assertThat(sources.admit(SIGNAL, 2_000 * MS)).isTrue();
        assertThat(sources.admit(SIGNAL, 2_001 * MS)).isTrue();
    }

    @Test
    void theOtherSourceCountsAgainOnceTheGestureIsOver() {
        InterruptSources sources = new InterruptSources();
        assertThat(sources.admit(SIGNAL, 0)).isTrue();
        assertThat(sources.admit(REQUEST, 1_000 * MS)).isTrue();
        assertThat(sources.admit(REQUEST, 1_500 * MS)).isTrue();
        assertThat(sources.admit(SIGNAL, 1_600 * MS)).isFalse();
    }
}
