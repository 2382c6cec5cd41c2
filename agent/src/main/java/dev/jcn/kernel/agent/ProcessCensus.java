package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Reply;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of the user JVM (grandchildren included) and the cell each probably came
 * from: the cell that was running when the process started, else the last cell started before it
 * (its background threads being the likely parent).
 *
 * <pre>{@code
 * ProcessCensus census = new ProcessCensus();
 * census.cellStarted(3);
 * List<Reply.ProcessRow> rows = census.rows();
 * ProcessCensus.killAll();     // every descendant of the user JVM
 * }</pre>
 */
final class ProcessCensus {

    /** Start instant of each cell, to attribute processes by their start time. */
    private final ConcurrentSkipListMap<Instant, Integer> cellStarts = new ConcurrentSkipListMap<>();

    void cellStarted(int cell) {
        cellStarts.put(Instant.now(), cell);
    }

    int cellAt(Instant start) {
        // /proc start times have a 10 ms resolution: allow for rounding down
        Map.Entry<Instant, Integer> e = cellStarts.floorEntry(start.plusMillis(20));
        return e == null ? 0 : e.getValue();
    }

    List<Reply.ProcessRow> rows() {
        return ProcessHandle.current().descendants().sorted(Comparator.comparingLong(ProcessHandle::pid)).map(p -> {
            ProcessHandle.Info info = p.info();
            return new Reply.ProcessRow(p.pid(), p.parent().map(ProcessHandle::pid).orElse(0L),
                    info.commandLine().orElse(info.command().orElse("?")),
                    info.totalCpuDuration().map(d -> d.toMillis()).orElse(-1L), info.startInstant().map(this::cellAt).orElse(0));
        }).toList();
    }

    /** Kills {@code root} and every descendant it had when called (listed first, so none escapes by re-parenting). */
    static boolean kill(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            root.onExit().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return !root.isAlive();
        }
    }

    /** Kills every descendant of this JVM; returns their pids. */
    static List<Long> killAll() {
        List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller through isAlive
            }
        }
        return all.stream().map(ProcessHandle::pid).toList();
    }
}
