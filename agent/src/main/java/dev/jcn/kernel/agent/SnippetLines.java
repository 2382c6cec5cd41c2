package dev.jcn.kernel.agent;

import dev.jcn.kernel.agent.debug.CellLines;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cell lines of every snippet class, for a debugger ({@link CellLines}). Before JShell
 * evaluates a snippet the shell says which cell lines its wrappers come from; the classes JShell
 * then loads for the first time are that snippet's. A class JShell recompiles later (because a
 * snippet it uses changed) keeps the lines its snippet was given when it was new.
 *
 * <pre>{@code
 * lines.next(12, List.of(CellLines.map(wrapper, source, 4)));
 * byte[] mapped = lines.mark("REPL.$JShell$31", bytes);
 * }</pre>
 */
final class SnippetLines {

    private record Lines(int cell, int[] map) {}

    /** By the snippet's outer class name without version letters. */
    private final Map<String, Lines> bySnippet = new ConcurrentHashMap<>();
    private volatile int cell;
    private volatile List<int[]> next = List.of();
    private int taken;

    /** The wrappers' line maps of the snippet about to be evaluated, in cell {@code cell}. */
    synchronized void next(int cell, List<int[]> maps) {
        this.cell = cell;
        this.next = List.copyOf(maps);
        this.taken = 0;
    }

    /** {@code bytes} of snippet class {@code name} with its source map; other classes unchanged. */
    synchronized byte[] mark(String name, byte[] bytes) {
        String unversioned = SnippetLoader.unversioned(name);
        if (unversioned == null) {
            return bytes;
        }
        int nested = unversioned.indexOf('$', "REPL.$JShell$".length());
        String snippet = nested < 0 ? unversioned : unversioned.substring(0, nested);
        Lines lines = bySnippet.get(snippet);
        if (lines == null && !next.isEmpty()) {
            lines = new Lines(cell, next.get(Math.min(taken++, next.size() - 1)));
            bySnippet.put(snippet, lines);
        }
        return lines == null ? bytes : CellLines.mark(bytes, lines.cell(), lines.map());
    }
}
