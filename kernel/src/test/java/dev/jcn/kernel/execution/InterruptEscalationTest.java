package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.execution.InterruptEscalation.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The escalation's steps and its thread-safety contract, with the later steps run by hand: a
 * scheduler that only records what is due, so no test waits for a timer.
 */
class InterruptEscalationTest {

    /** What the steps did to the (imagined) user JVM. */
    private static final class Recorded implements InterruptEscalation.Steps {
        final List<String> calls = new CopyOnWriteArrayList<>();
        int forcedEach;

        @Override
        public void stopChecks(int cell) {
            calls.add("stop checks " + cell);
        }

        @Override
        public int force(int cell) {
            calls.add("force " + cell);
            return forcedEach;
        }

        @Override
        public void replaceJvm(int cell) {
            calls.add("new JVM " + cell);
        }
    }

    /** Later steps, in the order they are due. */
    private static final class ByHand implements InterruptEscalation.Scheduler {
        final List<Duration> delays = new ArrayList<>();
        final List<Runnable> due = new ArrayList<>();

        @Override
        public synchronized void after(Duration delay, Runnable step) {
            delays.add(delay);
            due.add(step);
        }

        /** Runs the next step that is due; false when none is. */
        synchronized boolean runNext() {
            if (due.isEmpty()) {
                return false;
            }
            due.removeFirst().run();
            return true;
        }
    }

    private final Recorded steps = new Recorded();
    private final ByHand later = new ByHand();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final InterruptEscalation escalation = new InterruptEscalation(7, steps, ended::get, later);

    @Test
    void aCellThatIgnoresEverythingGoesThroughAllThreeStepsOnce() {
        steps.forcedEach = 1;
        escalation.interrupt();
        assertThat(escalation.reached()).isEqualTo(Step.STOP_CHECKS);
        while (later.runNext()) {
            // each step schedules the next while the cell still runs
        }
        assertThat(steps.calls).containsExactly("stop checks 7", "force 7", "force 7", "new JVM 7");
        assertThat(later.delays).containsExactly(InterruptEscalation.FORCE_AFTER, InterruptEscalation.RETRY_FORCE,
                InterruptEscalation.NEW_JVM_AFTER.minus(InterruptEscalation.FORCE_AFTER).minus(InterruptEscalation.RETRY_FORCE));
        assertThat(escalation.reached()).isEqualTo(Step.NEW_JVM);
        assertThat(escalation.forcedThreads()).isEqualTo(2);
    }

    @Test
    void aCellThatStepOneEndedGetsOneForcedStopForTheThreadsItStartedAndNoNewJvm() {
        escalation.interrupt();
        ended.set(true);
        while (later.runNext()) {
            // the forced stop still comes, for threads of the cell that may keep burning
        }
        assertThat(steps.calls).containsExactly("stop checks 7", "force 7");
    }

    @Test
    void anInterruptAfterTheCellEndedDoesNothing() {
        ended.set(true);
        escalation.interrupt();
        assertThat(steps.calls).isEmpty();
        assertThat(escalation.reached()).isEqualTo(Step.NONE);
    }

    @Test
    void interruptsRacingFromManyThreadsStartOneEscalation() throws Exception {
        int racers = 8;
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            // a SIGINT handler and the control thread, many times over
            threads.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                escalation.interrupt();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        while (later.runNext()) {
            // the one escalation's later steps
        }
        assertThat(steps.calls).containsExactly("stop checks 7", "force 7", "force 7", "new JVM 7");
        escalation.interrupt();
        assertThat(later.runNext()).isFalse();
        assertThat(steps.calls).hasSize(4);
    }
}
