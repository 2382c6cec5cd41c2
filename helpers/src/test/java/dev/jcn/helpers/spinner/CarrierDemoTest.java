package dev.jcn.helpers.spinner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each way of blocking does to a single carrier, as JDK 25 behaves (the javadoc of CarrierDemo). */
class CarrierDemoTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void onOneCarrierOnlyWaysThatUnmountOrGetAnExtraCarrierLetAnotherVirtualThreadRun() {
        Map<String, CarrierDemo.Block> blocks = CarrierDemo.inChildJvm(Duration.ofMillis(600), CarrierDemo.KINDS)
                .stream().collect(Collectors.toMap(CarrierDemo.Block::kind, Function.identity()));
        assertThat(blocks.keySet()).containsExactlyInAnyOrderElementsOf(CarrierDemo.KINDS);

        for (String unmounts : List.of("sleep", "synchronized-sleep")) {
            assertThat(blocks.get(unmounts)).satisfies(b -> {
                assertThat(b.tickerRan()).as(b.line()).isTrue();
                assertThat(b.carriers()).as(b.line()).isEqualTo(1);
                assertThat(b.pinnedEvents()).as(b.line()).isZero();
            });
        }
        assertThat(blocks.get("pipe-read")).satisfies(b -> {
            assertThat(b.tickerRan()).as(b.line()).isTrue();
            assertThat(b.carriers()).as("an extra carrier: " + b.line()).isGreaterThanOrEqualTo(2);
        });
        for (String holds : List.of("file-read", "native-call", "native-upcall-sleep", "cpu")) {
            assertThat(blocks.get(holds)).satisfies(b -> {
                assertThat(b.tickerRan()).as(b.line()).isFalse();
                assertThat(b.carriers()).as(b.line()).isEqualTo(1);
            });
        }
        assertThat(blocks.get("native-call").pinnedEvents()).as("a native call never tries to unmount").isZero();
        assertThat(blocks.get("native-upcall-sleep").pinnedEvents()).as("a sleep under a native frame")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBlockLineReadsBack() {
        var b = new CarrierDemo.Block("file-read", 0, 10, 1, 0, Duration.ofMillis(1000));
        assertThat(b.line()).isEqualTo("block kind=file-read ticks=0 expected=10 carriers=1 pinned_events=0 "
                + "seconds=1.00");
        assertThat(CarrierDemo.Block.parse(b.line())).isEqualTo(b);
    }

    @Test
    void badArgumentsGetAClearMessage() {
        assertThatThrownBy(() -> CarrierDemo.inChildJvm(Duration.ofMillis(600), List.of("yield")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind 'yield'");
        assertThatThrownBy(() -> CarrierDemo.inChildJvm(Duration.ofMillis(10), List.of("sleep")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
    }
}
