package dev.jcn.kernel.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
 * JsonArray rows = census.rows();
 * census.killAll();
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

    JsonArray rows() {
        JsonArray rows = new JsonArray();
        List<ProcessHandle> all = ProcessHandle.current().descendants()
                .sorted(Comparator.comparingLong(ProcessHandle::pid)).toList();
        for (ProcessHandle p : all) {
            ProcessHandle.Info info = p.info();
            JsonObject row = new JsonObject();
            row.addProperty("pid", p.pid());
            row.addProperty("parent", p.parent().map(ProcessHandle::pid).orElse(0L));
            row.addProperty("command", info.commandLine().orElse(info.command().orElse("?")));
            row.addProperty("cpuMillis", info.totalCpuDuration().map(d -> d.toMillis()).orElse(-1L));
            row.addProperty("cell", info.startInstant().map(this::cellAt).orElse(0));
            rows.add(row);
        }
        return rows;
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
