package dev.jcn.kernel.protocol;

import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides under which request (parent header) a piece of thread output is shown. The rule:
 * <ol>
 *   <li>Output from a thread started by the running cell goes to the running cell.</li>
 *   <li>Output from a thread started by an earlier cell, written while another cell runs, also goes
 *       to the running cell (where the reader is looking), prefixed with a label
 *       {@code [thread-name, cell 3] } at the start of each burst and after each bare {@code \r}
 *       (so a spinner keeps its label). A burst is a run of writes to one stream by one thread;
 *       it ends when another thread writes to that stream or another cell starts. A burst that
 *       starts in the middle of a line starts on a new line.</li>
 *   <li>Output written while no cell runs goes to the cell whose code started the thread (the
 *       most recent cell when that cell is unknown), unlabelled.</li>
 * </ol>
 * JupyterLab 4.6 shows both where this rule sends them: labelled in the running cell, and in the
 * finished cell when idle ({@code tests/browser/test_jupyterlab.py} records it).
 *
 * <pre>{@code
 * OutputRouter router = new OutputRouter();
 * router.cellStarted(3, requestHeader);
 * OutputRouter.Routed r = router.route(2, "spinner", "stdout", "|\n");
 * // r.parent() == requestHeader, r.text() == "[spinner, cell 2] |\n"
 * }</pre>
 *
 * <p>Not thread-safe: the caller serialises calls (it must also keep the routed text in call order).
 */
public final class OutputRouter {

    /** Where a piece of text goes, and the text as it should appear there. */
    public record Routed(JsonObject parent, String text) {}

    private static final int REMEMBERED_CELLS = 10_000;
    private static final JsonObject NO_PARENT = new JsonObject();

    private final Map<Integer, JsonObject> parents = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, JsonObject> eldest) {
            return size() > REMEMBERED_CELLS;
        }
    };
    private JsonObject latest = NO_PARENT;
    private int running = -1;
    private JsonObject runningParent;
    /** Per stream of the running cell: who wrote last, and whether the stream is at a line start. */
    private final Map<String, String> lastWriter = new HashMap<>();
    private final Map<String, Boolean> atLineStart = new HashMap<>();
    private final Map<String, Boolean> afterCarriageReturn = new HashMap<>();

    /** A cell begins; {@code parent} is the header of its execute_request. */
    public void cellStarted(int cell, JsonObject parent) {
        parents.put(cell, parent);
        latest = parent;
        run(cell, parent);
    }

    /**
     * A silent request runs under the number of the last counted cell; its header is not
     * remembered, so later output of that cell's threads still goes where the reader sees it.
     */
    public void silentCellStarted(int cell, JsonObject parent) {
        run(cell, parent);
    }

    private void run(int cell, JsonObject parent) {
        running = cell;
        runningParent = parent;
        lastWriter.clear();
        atLineStart.clear();
        afterCarriageReturn.clear();
    }

    /** The running cell ended. */
    public void cellFinished() {
        running = -1;
        runningParent = null;
        lastWriter.clear();
        atLineStart.clear();
        afterCarriageReturn.clear();
    }

    /** Whether a cell is running. */
    public boolean busy() {
        return runningParent != null;
    }

    /** The request a display from a thread started by {@code cell} belongs to (rules 1 to 3, unlabelled). */
    public JsonObject parentFor(int cell) {
        return runningParent != null ? runningParent : parents.getOrDefault(cell, latest);
    }

    /**
     * Routes {@code text} written to {@code stream} by {@code thread}, which was started by
     * {@code cell} (0 when unknown).
     */
    public Routed route(int cell, String thread, String stream, String text) {
        if (runningParent == null) {
            return new Routed(parents.getOrDefault(cell, latest), text);
        }
        String writer = cell + "\u0000" + thread;
        boolean foreign = cell != running;
        String previous = lastWriter.put(stream, writer);
        boolean lineStart = atLineStart.getOrDefault(stream, true);
        String out = text;
        if (foreign) {
            // Virtual threads are often nameless; the label must still say the text is not the cell's own.
            String name = thread == null || thread.isBlank() ? "unnamed thread" : thread;
            String label = cell > 0 ? "[" + name + ", cell " + cell + "] " : "[" + name + "] ";
            out = labelCarriageReturns(text, label);
            if (!writer.equals(previous)) {
                out = (lineStart ? "" : "\n") + label + out;
            } else if (afterCarriageReturn.getOrDefault(stream, false)) {
                out = label + out;
            }
        }
        if (!out.isEmpty()) {
            char last = out.charAt(out.length() - 1);
            atLineStart.put(stream, last == '\n' || last == '\r');
            afterCarriageReturn.put(stream, last == '\r');
        }
        return new Routed(runningParent, out);
    }

    private static String labelCarriageReturns(String text, String label) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + label.length() * 2);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c);
            boolean bare = c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n');
            if (bare && i + 1 < text.length()) {
                b.append(label);
            }
        }
        return b.toString();
    }
}
