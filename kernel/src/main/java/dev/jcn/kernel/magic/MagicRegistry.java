package dev.jcn.kernel.magic;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The magics a kernel knows, by name.
 *
 * <pre>{@code
 * MagicRegistry magics = MagicRegistry.standard();
 * LineMagic load = magics.line("load");   // null when unknown
 * }</pre>
 */
public final class MagicRegistry {

    private final Map<String, LineMagic> lines = new TreeMap<>();
    private final Map<String, CellMagic> cells = new TreeMap<>();

    /** The kernel's magics: lsmagic, time, classpath, maven, load, threads, procs, stop, doc; %%time. */
    public static MagicRegistry standard() {
        MagicRegistry r = new MagicRegistry();
        TimeMagic time = new TimeMagic();
        r.register(new LsMagic(r));
        r.register((LineMagic) time);
        r.register((CellMagic) time);
        r.register(new ClasspathMagic());
        r.register(new MavenMagic());
        r.register(new LoadMagic());
        r.register(new ThreadsMagic());
        r.register(new ProcsMagic());
        r.register(new StopMagic());
        r.register(new DebuggerMagic());
        r.register(new DocMagic());
        return r;
    }

    /** Adds or replaces a line magic. */
    public void register(LineMagic magic) {
        lines.put(magic.name(), magic);
    }

    /** Adds or replaces a cell magic. */
    public void register(CellMagic magic) {
        cells.put(magic.name(), magic);
    }

    /** The line magic called {@code name}, or null. */
    public LineMagic line(String name) {
        return lines.get(name);
    }

    /** The cell magic called {@code name}, or null. */
    public CellMagic cell(String name) {
        return cells.get(name);
    }

    /** Line magics in name order. */
    public Collection<LineMagic> lineMagics() {
        return Collections.unmodifiableCollection(lines.values());
    }

    /** Cell magics in name order. */
    public Collection<CellMagic> cellMagics() {
        return Collections.unmodifiableCollection(cells.values());
    }
}
