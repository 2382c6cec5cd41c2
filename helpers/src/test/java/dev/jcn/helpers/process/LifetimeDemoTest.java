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
    void aPlainChildProcessOutlivesItsParentJvmAWatchingOneDoesNot() {
        var orphan = LifetimeDemo.run("orphan");
        var watching = LifetimeDemo.run("watching");
        assertThat(orphan.grandchildSurvived()).isTrue();
        assertThat(watching.grandchildSurvived()).isFalse();
        // The demo cleaned up after itself.
        assertThat(ProcessHandle.of(orphan.grandchildPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> LifetimeDemo.run("zombie")).isInstanceOf(IllegalArgumentException.class);
    }
}
