package dev.jcn.helpers.spinner;

import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.testing.Capture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpinnerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The line ends cleared: a carriage return, blanks over the last frame, a carriage return. */
    private static void assertClearedAtTheEnd(String text, String message) {
        String blanks = " ".repeat(("- " + message).length());
        assertThat(text).endsWith("\r" + blanks + "\r");
    }

    @Test
    void aPlatformThreadSpinnerKeepsSpinningWhileTheCallerComputesAndClearsItsLine() throws Exception {
        try (var out = new Capture()) {
            PlatformThreadSpinner spinner;
            try (var s = new PlatformThreadSpinner("thinking!", out)) {
                spinner = s;
                assertThat(s.thread().isDaemon()).isTrue();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (out.frames() < 3 && System.nanoTime() < deadline) {
                    Primes.isPrime(Primes.SLOW_PRIME);
                }
                assertThat(out.frames()).as("frames drawn while this thread computed").isGreaterThanOrEqualTo(3);
                assertThat(s.frames()).isGreaterThanOrEqualTo(3);
            }
            assertThat(spinner.thread().isAlive()).isFalse();
            assertThat(out.frames()).isEqualTo(spinner.frames());
            assertThat(out.text()).startsWith("\r\\ thinking!\r| thinking!\r/ thinking!");
            assertClearedAtTheEnd(out.text(), "thinking!");
        }
    }

    @Test
    void aVirtualThreadSpinnerIsCancelledByInterruption() throws Exception {
        try (var out = new Capture()) {
            VirtualThreadSpinner spinner;
            try (var s = new VirtualThreadSpinner("waiting", out)) {
                spinner = s;
                assertThat(s.thread().isVirtual()).isTrue();
                assertThat(out.awaitFrames(2, WAIT)).isTrue();
            }
            assertThat(spinner.thread().isAlive()).isFalse();
            assertThat(out.frames()).isEqualTo(spinner.frames()).isGreaterThanOrEqualTo(2);
            assertClearedAtTheEnd(out.text(), "waiting");
        }
    }

    @Test
    void theScopedSpinnerTurnsUntilTheWorkReturnsAndReturnsItsValue() throws Exception {
        try (var out = new Capture()) {
            SpinOutcome<Integer> outcome = ScopedSpinner.supervise("thinking!", () -> {
                if (!out.awaitFrames(3, WAIT)) {
                    throw new IllegalStateException("the spinner did not turn");
                }
                return 42;
            }, out);
            assertThat(outcome.value()).isEqualTo(42);
            assertThat(outcome.frames()).isGreaterThanOrEqualTo(3).isEqualTo(out.frames());
            assertClearedAtTheEnd(out.text(), "thinking!");
        }
    }

    @Test
    void theScopedSpinnerPassesOnTheWorksFailure() {
        try (var out = new Capture()) {
            assertThatThrownBy(() -> ScopedSpinner.supervise("x", () -> {
                throw new IllegalStateException("boom");
            }, out)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThatThrownBy(() -> ScopedSpinner.supervise("x", () -> {
                throw new java.io.IOException("disk");
            }, out)).isInstanceOf(IllegalStateException.class).hasMessageContaining("disk");
        }
    }

    @Test
    void aProcessSpinnerDrawsInAChildJvmAndStopsWhenToldThroughThePipe() throws Exception {
        ProcessHandle child;
        int frames;
        try (var out = new Capture().installAsStdout()) {
            try (var s = new ProcessSpinner("thinking!")) {
                child = s.process();
                assertThat(child.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
                assertThat(out.awaitFrames(3, WAIT)).as("frames relayed from the child").isTrue();
            }
            frames = out.frames();
            assertClearedAtTheEnd(out.text(), "thinking!");
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(frames).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSharedMemorySpinnerCountsItsFramesInMemoryBothJvmsMap() throws Exception {
        try (var out = new Capture().installAsStdout()) {
            SharedMemorySpinner spinner;
            try (var s = new SharedMemorySpinner("공유 메모리 sharing")) {
                spinner = s;
                assertThat(out.awaitFrames(3, WAIT)).isTrue();
                assertThat(s.flag().isSet()).isFalse();
            }
            assertThat(spinner.process().isAlive()).isFalse();
            // The counter was read from the shared file before it was unmapped.
            assertThat(spinner.frames()).isEqualTo(out.frames()).isGreaterThanOrEqualTo(3);
            spinner.close();
            assertThat(out.text()).contains("\r| 공유 메모리 sharing");
            assertClearedAtTheEnd(out.text(), "공유 메모리 sharing");
        }
    }

    @Test
    void aSpinnerMessageMustBeOneLine() {
        assertThatThrownBy(() -> new PlatformThreadSpinner("two\nlines")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one line");
        assertThatThrownBy(() -> new ProcessSpinner(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFlagWakesItsWaitersOnceSet() throws Exception {
        var flag = new Flag();
        assertThat(flag.await(Duration.ofMillis(20))).isFalse();
        var woke = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            if (flag.await(Duration.ofSeconds(30))) {
                woke.countDown();
            }
        });
        flag.set();
        assertThat(woke.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(flag.isSet()).isTrue();
        waiter.join(Duration.ofSeconds(5));
    }

    @Test
    void aSharedFlagIsSeenThroughASecondMapping() {
        try (var a = SharedFlag.create(); var b = SharedFlag.open(a.path())) {
            assertThat(b.isSet()).isFalse();
            a.increment();
            a.increment();
            assertThat(b.count()).isEqualTo(2);
            b.set();
            assertThat(a.await(Duration.ofSeconds(1))).isTrue();
        }
        assertThatThrownBy(() -> SharedFlag.open(java.nio.file.Path.of("/nonexistent/flag")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onASingleCarrierACpuBoundVirtualThreadStarvesTheVirtualThreadSpinnerUnlessItParks() {
        String oneCarrier = "-Djdk.virtualThreadScheduler.parallelism=1";
        try (var out = new Capture().installAsStdout()) {
            var frozen = SpinnerDemo.inChildJvm("virtual", "prime", oneCarrier);
            var parking = SpinnerDemo.inChildJvm("virtual", "prime-park", oneCarrier);
            var platform = SpinnerDemo.inChildJvm("platform", "prime", oneCarrier);
            assertThat(frozen.value()).isEqualTo(42);
            assertThat(frozen.frames()).as("frames while a CPU-bound virtual thread held the carrier").isZero();
            assertThat(parking.frames()).as("frames while the worker parked now and then").isGreaterThan(5);
            assertThat(platform.frames()).as("frames of a platform-thread spinner").isGreaterThan(5);
            assertThat(out.text()).contains("Answer: 42");
        }
    }

    @Test
    void theDemoRejectsUnknownNames() {
        assertThatThrownBy(() -> SpinnerDemo.inChildJvm("greenlet", "prime"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("choose one of");
        assertThatThrownBy(() -> SpinnerDemo.run("virtual", "nap"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown work");
        assertThatThrownBy(() -> SpinnerDemo.inChildJvm("virtual", "prime-yield", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every 1 division");
    }
}
