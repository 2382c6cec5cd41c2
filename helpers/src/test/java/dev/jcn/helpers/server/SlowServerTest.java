package dev.jcn.helpers.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlowServerTest {

    private static final Duration DELAY = Duration.ofMillis(100);

    @Test
    void aFixedPoolQueuesSlowRequestsWhileVirtualThreadsTakeThemAllAtOnce() {
        LoadResult fixed;
        try (var server = SlowServer.fixedPool(4, DELAY)) {
            fixed = LoadTest.run(server.uri(), 40, 40);
            assertThat(server.maxInFlight()).isEqualTo(4);
            assertThat(server.served()).isEqualTo(40);
        }
        LoadResult virtual;
        try (var server = SlowServer.virtualThreads(DELAY)) {
            virtual = LoadTest.run(server.uri(), 40, 40);
            assertThat(server.maxInFlight()).isGreaterThan(4);
        }
        assertThat(fixed.ok()).isEqualTo(40);
        assertThat(virtual.ok()).isEqualTo(40);
        // 40 requests over 4 threads of 100 ms each cannot take less than 10 rounds.
        assertThat(fixed.wall()).isGreaterThanOrEqualTo(DELAY.multipliedBy(10));
        assertThat(virtual.wall()).isLessThan(fixed.wall());
        assertThat(fixed.toString()).contains("40/40 ok");
    }

    @Test
    void badInputGetsAClearMessage() {
        assertThatThrownBy(() -> SlowServer.fixedPool(0, DELAY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlowServer.virtualThreads(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        try (var server = SlowServer.virtualThreads(Duration.ZERO)) {
            assertThatThrownBy(() -> LoadTest.run(server.uri(), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
