package dev.jcn.helpers.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The operating-system threads of a process, as Linux lists them under {@code /proc/PID/task}: in a JVM
 * these include the threads Java code never sees, such as the garbage collector's and the JIT compilers'.
 *
 * <pre>{@code
 * System.out.println(OsThreads.current());     // TID, CPU, NAME: "GC Thread#0", "C1 CompilerThre", "main", ...
 * OsThreads.current().names();
 * }</pre>
 *
 * <p>Linux cuts thread names to 15 characters. CPU time is read in clock ticks of 10 ms.
 *
 * @param pid     the process
 * @param threads its threads, by thread id
 */
public record OsThreads(long pid, List<Entry> threads) {

    /**
     * One operating-system thread.
     *
     * @param tid  its thread id
     * @param name its name (at most 15 characters)
     * @param cpu  CPU time used so far (user and system)
     */
    public record Entry(long tid, String name, Duration cpu) {
    }

    /** Copies the list. */
    public OsThreads {
        threads = List.copyOf(threads);
    }

    /** The threads of this JVM. */
    public static OsThreads current() {
        return of(ProcessHandle.current().pid());
    }

    /**
     * The threads of process {@code pid}.
     *
     * @throws IllegalStateException where there is no {@code /proc} (not Linux) or the process is gone
     */
    public static OsThreads of(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            throw new IllegalStateException("no " + tasks + ": thread listing needs Linux and a running process");
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tasks)) {
            for (Path dir : dirs.toList()) {
                try {
                    String name = Files.readString(dir.resolve("comm")).strip();
                    entries.add(new Entry(Long.parseLong(dir.getFileName().toString()), name, cpu(dir)));
                } catch (IOException gone) {
                    // The thread ended while being listed.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + tasks + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparingLong(Entry::tid));
        return new OsThreads(pid, entries);
    }

    private static Duration cpu(Path dir) throws IOException {
        String stat = Files.readString(dir.resolve("stat"));
        // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return Duration.ofMillis(ticks * 10);
    }

    /** The thread names, in thread id order. */
    public List<String> names() {
        return threads.stream().map(Entry::name).toList();
    }

    /** A table: thread id, CPU seconds, name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s %8s  %s%n", "TID", "CPU", "NAME"));
        for (Entry e : threads) {
            sb.append(String.format(Locale.ROOT, "%8d %7.2fs  %s%n", e.tid(), e.cpu().toNanos() / 1e9, e.name()));
        }
        return sb.toString();
    }
}
