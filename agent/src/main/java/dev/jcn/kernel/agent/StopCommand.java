package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %stop}, and the closing of services before the user JVM ends.
 *
 * <pre>{@code
 * Reply.Stopped all = stop.stop("");                 // services, then threads, then processes
 * Reply.Stopped one = stop.stop("member-1");         // a service, a thread or a pid
 * Reply.Stopped closed = stop.closeServices(Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>A service is closed by its own close action, before any of its threads is touched: only the
 * threads still alive afterwards are interrupted and, if they ignore it, stopped by force like a
 * cell's. Threads of services that stay open are never stopped.
 */
final class StopCommand {

    /** How long %stop waits for one service's close action. */
    static final Duration SERVICE_CLOSE = Duration.ofSeconds(10);
    /** How long interrupted threads get to end before they are stopped by force, and stopped ones to unwind. */
    private static final Duration GRACE = Duration.ofMillis(300);

    private final CellRuns runs;

    StopCommand(CellRuns runs) {
        this.runs = runs;
    }

    /** Stops everything when {@code target} is empty, else the service, thread or process it names. */
    Reply.Stopped stop(String target) {
        List<String> closed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Thread> chosen = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        Service<?> named = target.isEmpty() ? null : Service.named(target).orElse(null);
        if (target.isEmpty()) {
            close(Service.all(), SERVICE_CLOSE, closed, problems);
        } else if (named != null) {
            close(List.of(named), SERVICE_CLOSE, closed, problems);
        }
        for (ThreadCensus.Entry e : runs.userThreads()) {
            Thread t = e.thread();
            if (t == runs.current()) {
                continue;
            }
            if (e.service() != null && e.service().isOpen()) {
                if (named == null && t.getName().equals(target)) {
                    problems.add(target + " is a thread of the service " + e.service().name() + ": %stop "
                            + e.service().name() + " closes the service");
                }
                continue;
            }
            if (target.isEmpty() || (named != null ? e.service() == named : t.getName().equals(target))) {
                chosen.add(t);
            }
        }
        if (target.isEmpty()) {
            pids.addAll(ProcessCensus.killAll());
        } else if (named == null && target.matches("\\d+")) {
            long pid = Long.parseLong(target);
            ProcessHandle.current().descendants().filter(p -> p.pid() == pid).findFirst().ifPresent(p -> {
                ProcessCensus.kill(p);
                pids.add(pid);
            });
        }
        for (Thread t : chosen) {
            Cells.stop(t);
            t.interrupt();
        }
        awaitEnd(chosen);
        List<Thread> stuck = chosen.stream().filter(Thread::isAlive).toList();
        Reply.Forced forced = Interrupts.forceStop(stuck);
        if (!forced.problem().isEmpty()) {
            problems.add("forced stop: " + forced.problem());
        }
        // A thread stopped by force still has to unwind (finally blocks, a virtual thread's unmounting):
        // counted at once, it would be reported alive although it ends a moment later.
        awaitEnd(stuck);
        int alive = (int) chosen.stream().filter(Thread::isAlive).count();
        return new Reply.Stopped(closed, problems, chosen.stream().map(Thread::getName).toList(), forced.threads(), alive, pids);
    }

    /** Waits for each of {@code threads} to end, all of them together at most {@link #GRACE}. */
    private static void awaitEnd(List<Thread> threads) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes every open service, the latest first, within {@code budget} altogether; stops no thread. */
    Reply.Stopped closeServices(Duration budget) {
        List<String> closed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        close(Service.all(), budget, closed, problems);
        return new Reply.Stopped(closed, problems, List.of(), 0, 0, List.of());
    }

    /**
     * Runs the close actions of {@code services}, the latest started first (it may use an earlier
     * one), each on a thread of its own so that one that hangs costs only the time left.
     */
    private static void close(List<Service<?>> services, Duration budget, List<String> closed, List<String> problems) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (Service<?> s : services.reversed()) {
            Throwable[] failure = new Throwable[1];
            Thread closer = Thread.ofPlatform().daemon().name("closing " + s.name()).start(() -> {
                try {
                    s.close();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            try {
                if (!closer.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    problems.add(s.name() + " did not finish closing in time");
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(s.name() + ": closing was interrupted");
                continue;
            }
            closed.add(s.name());
            if (failure[0] != null) {
                problems.add(s.name() + ": its close action failed: " + failure[0]);
            }
        }
    }
}
