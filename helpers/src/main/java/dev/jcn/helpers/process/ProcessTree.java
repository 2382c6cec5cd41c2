package dev.jcn.helpers.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot of a process and its descendants, printed like {@code ps}: pid, parent pid, CPU time, command.
 *
 * <pre>{@code
 * System.out.println(ProcessTree.current());           // this JVM and every process under it
 * System.out.println(ProcessTree.parent());            // the process that started this JVM (the kernel) and below
 * ProcessTree.of(child.handle()).pids();              // [child pid, grandchild pids...]
 * }</pre>
 *
 * @param entries the processes, depth first from the root
 */
public record ProcessTree(List<Entry> entries) {

    /**
     * One process in the tree.
     *
     * @param pid     its process id
     * @param ppid    its parent's process id (-1 if unknown)
     * @param depth   0 for the root, 1 for its children, and so on
     * @param cpu     CPU time used so far (zero if the system does not tell)
     * @param command the command line, as far as the system tells
     */
    public record Entry(long pid, long ppid, int depth, Duration cpu, String command) {
    }

    /** Copies the entries. */
    public ProcessTree {
        entries = List.copyOf(entries);
    }

    /** {@code root} and its descendants, as they are now. */
    public static ProcessTree of(ProcessHandle root) {
        List<Entry> entries = new ArrayList<>();
        add(root, 0, entries);
        return new ProcessTree(entries);
    }

    /** This JVM and its descendants. */
    public static ProcessTree current() {
        return of(ProcessHandle.current());
    }

    /** The parent of this JVM (in a notebook: the kernel) and its descendants; this JVM if it has no parent. */
    public static ProcessTree parent() {
        return of(ProcessHandle.current().parent().orElse(ProcessHandle.current()));
    }

    private static void add(ProcessHandle handle, int depth, List<Entry> entries) {
        ProcessHandle.Info info = handle.info();
        String command = info.commandLine().orElseGet(() -> info.command().orElse("?"));
        entries.add(new Entry(handle.pid(), handle.parent().map(ProcessHandle::pid).orElse(-1L), depth,
                info.totalCpuDuration().orElse(Duration.ZERO), command));
        handle.children().sorted(Comparator.comparingLong(ProcessHandle::pid))
                .forEach(child -> add(child, depth + 1, entries));
    }

    /** The process ids, root first. */
    public List<Long> pids() {
        return entries.stream().map(Entry::pid).toList();
    }

    /** The tree as a {@code ps}-like table, commands indented by depth and cut to {@code width} characters. */
    public String format(int width) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s %8s %9s  %s%n", "PID", "PPID", "CPU", "COMMAND"));
        for (Entry e : entries) {
            String command = "  ".repeat(e.depth()) + e.command();
            if (command.length() > width) {
                command = command.substring(0, Math.max(0, width - 1)) + "…";
            }
            sb.append(String.format(Locale.ROOT, "%8d %8d %8.2fs  %s%n", e.pid(), e.ppid(),
                    e.cpu().toNanos() / 1e9, command));
        }
        return sb.toString();
    }

    /** The tree as a {@code ps}-like table with commands cut to 120 characters. */
    @Override
    public String toString() {
        return format(120);
    }
}
