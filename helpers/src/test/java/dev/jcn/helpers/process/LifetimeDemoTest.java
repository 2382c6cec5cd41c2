package dev.jcn.helpers.process;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifetimeDemoTest {

    @Test
    void daemonThreadsDoNotKeepTheJvmAliveButNonDaemonThreadsDo() {
        var daemon = LifetimeDemo.run("daemon");
        var nonDaemon = LifetimeDemo.run("non-daemon");
        // The non-daemon thread sleeps 1 s after main returns; the JVM waits for it.
        assertThat(nonDaemon.afterMain()).isGreaterThan(Duration.ofMillis(900));
        assertThat(daemon.afterMain()).isLessThan(nonDaemon.afterMain());
        assertThat(daemon.grandchildPid()).isEqualTo(-1);
    }

    @Test
    void aPlainChildProcessOutlivesItsParentJvmAWatchingOneDoesNot() throws Exception {
        var orphan = LifetimeDemo.run("orphan");
        var watching = LifetimeDemo.run("watching");
        assertThat(orphan.grandchildSurvived()).isTrue();
        assertThat(watching.grandchildSurvived()).isFalse();
        // The demo killed the orphan; once the init process has reaped it, it is gone for good.
        var left = ProcessHandle.of(orphan.grandchildPid());
        if (left.isPresent()) {
            left.get().onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> LifetimeDemo.run("zombie")).isInstanceOf(IllegalArgumentException.class);
    }
}
