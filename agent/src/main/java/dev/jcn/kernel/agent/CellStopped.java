package dev.jcn.kernel.agent;

/**
 * Thrown into code whose cell was interrupted. An {@link Error}, so that user code's
 * {@code catch (Exception e)} does not swallow it.
 *
 * <pre>{@code
 * try { runCell(); } catch (CellStopped stopped) { report("interrupted"); }
 * }</pre>
 */
public final class CellStopped extends Error {

    /**
     * The instance {@link ForcedStop} throws into a thread through the JVM tool interface, which
     * needs an object that exists already; {@code cell} 0 means "whatever the thread was doing".
     */
    public static final CellStopped FORCED = new CellStopped(0);

    private final int cell;

    public CellStopped(int cell) {
        super(cell == 0 ? "stopped by the kernel" : "cell " + cell + " was interrupted", null, false, false);
        this.cell = cell;
    }

    /** The interrupted cell, or 0 for a forced stop. */
    public int cell() {
        return cell;
    }
}
