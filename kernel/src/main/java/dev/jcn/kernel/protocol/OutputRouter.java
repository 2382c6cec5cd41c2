package dev.jcn.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides under which request (parent header) a piece of thread output is shown.
 *
 * <p>Output of the running cell's own threads always goes to the running cell. Output of a thread
 * started by an earlier cell ("late output") is placed by one of two rules, chosen per request:
 * <ul>
 *   <li><b>Starting cell</b>, for frontends that keep showing a cell's output after its reply:
 *       JupyterLab and Notebook 7 display a message under a finished cell's request in that cell,
 *       also while another cell runs ({@code tests/browser/test_jupyterlab.py} checks it). The text
 *       goes there unchanged. When that cell has since been run again or deleted (JupyterLab sends
 *       {@code metadata.cellId} and {@code metadata.deletedCells}), its old output area is gone and the
 *       text goes, labelled, to the newest run of the same cell, else to the running cell, else to the
 *       most recent one.</li>
 *   <li><b>Running cell</b>, for headless clients (nbclient, nbconvert, papermill), which stop listening
 *       to a cell once it has finished: while a cell runs, late output goes to it, labelled; while
 *       no cell runs, to the cell that started the thread, unlabelled.</li>
 * </ul>
 * A request chooses the first rule when it allows input ({@code allow_stdin}, set by interactive
 * frontends and cleared by nbclient), unless the kernel was started with
 * {@code JCN_THREAD_OUTPUT=starting} or {@code running}, which fixes the rule.
 *
 * <p>A label {@code [thread-name, cell 3] } is written at the start of each burst and after each bare
 * {@code \r} (so a spinner keeps its label). A burst is a run of writes to one stream of one request
 * by one thread; it ends when another thread writes there or a cell starts or ends. A burst that
 * starts in the middle of a line starts on a new line.
 *
 * <pre>{@code
 * OutputRouter router = new OutputRouter(OutputRouter.Placement.AUTO);
 * router.cellStarted(3, OutputRouter.Request.from(executeRequest));
 * OutputRouter.Routed r = router.route(2, "spinner", "stdout", "|\n");
 * // JupyterLab: r.parent() is cell 2's request header and r.text() is "|\n";
 * // nbclient:   r.parent() is cell 3's request header and r.text() is "[spinner, cell 2] |\n"
 * }</pre>
 *
 * <p>Not thread-safe: the caller serialises calls (it must also keep the routed text in call order).
 */
public final class OutputRouter {

    /** Where a piece of text goes, and the text as it should appear there. */
    public record Routed(JsonObject parent, String text) {}

    /** Which rule places late output. */
    public enum Placement {
        /** Per request: the starting cell when the request allows input, else the running cell. */
        AUTO,
        /** Always the starting-cell rule. */
        STARTING,
        /** Always the running-cell rule. */
        RUNNING;

        /**
         * The placement named by {@code JCN_THREAD_OUTPUT} ({@code auto}, {@code starting} or
         * {@code running}); AUTO when unset.
         *
         * @throws IllegalArgumentException for any other value, naming the accepted ones
         */
        public static Placement fromEnvironment(Map<String, String> env) {
            String value = env.get("JCN_THREAD_OUTPUT");
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "JCN_THREAD_OUTPUT=" + value + " is not one of auto, starting, running");
            }
        }
    }

    /**
     * What the router needs of an execute_request.
     *
     * @param header the request's header, the parent of everything shown for it
     * @param cellId the frontend's id of the notebook cell, or null when not sent
     * @param deletedCells ids of cells the frontend deleted since its previous request
     * @param allowsInput the request's {@code allow_stdin}
     */
    public record Request(JsonObject header, String cellId, Set<String> deletedCells, boolean allowsInput) {

        public Request {
            deletedCells = Set.copyOf(deletedCells);
        }

        /** Reads the fields from an execute_request. */
        public static Request from(Message request) {
            JsonObject metadata = request.metadata();
            String cellId = null;
            Set<String> deleted = new HashSet<>();
            if (metadata != null) {
                JsonElement id = metadata.get("cellId");
                if (id != null && id.isJsonPrimitive()) {
                    cellId = id.getAsString();
                }
                JsonElement gone = metadata.get("deletedCells");
                if (gone != null && gone.isJsonArray()) {
                    for (JsonElement e : (JsonArray) gone) {
                        if (e.isJsonPrimitive()) {
                            deleted.add(e.getAsString());
                        }
                    }
                }
            }
            JsonElement stdin = request.content().get("allow_stdin");
            boolean allows = stdin == null || !stdin.isJsonPrimitive() || stdin.getAsBoolean();
            return new Request(request.header(), cellId, deleted, allows);
        }
    }

    private record Target(JsonObject parent, boolean labelled) {}

    private static final class StreamState {
        String lastWriter;
        boolean atLineStart = true;
        boolean afterCarriageReturn;
    }

    private record Run(JsonObject parent, String cellId) {}

    private static final int REMEMBERED = 10_000;
    private static final JsonObject NO_PARENT = new JsonObject();

    private final Placement placement;
    private final Map<Integer, Run> runs = bounded();
    private final Map<String, Integer> newestRunOfCellId = bounded();
    private final Set<String> deleted = Collections.newSetFromMap(bounded());
    private JsonObject latest = NO_PARENT;
    private boolean startingCellRule;
    private int running = -1;
    private JsonObject runningParent;
    /** Per request shown to, per stream: who wrote last and where the line stands. */
    private final Map<JsonObject, Map<String, StreamState>> streams = new IdentityHashMap<>();

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }

    /** A router with the given placement rule. */
    public OutputRouter(Placement placement) {
        this.placement = placement;
        this.startingCellRule = placement == Placement.STARTING;
    }

    /** A counted cell begins. */
    public void cellStarted(int cell, Request request) {
        for (String id : request.deletedCells()) {
            deleted.add(id);
        }
        runs.put(cell, new Run(request.header(), request.cellId()));
        if (request.cellId() != null) {
            newestRunOfCellId.put(request.cellId(), cell);
            deleted.remove(request.cellId());
        }
        latest = request.header();
        startingCellRule = switch (placement) {
            case AUTO -> request.allowsInput();
            case STARTING -> true;
            case RUNNING -> false;
        };
        run(cell, request.header());
    }

    /**
     * A silent request runs under the number of the last counted cell; it is not remembered, so
     * later output of that cell's threads still goes where the reader sees it, and it does not
     * change the placement rule (frontends send silent requests of their own).
     */
    public void silentCellStarted(int cell, JsonObject parent) {
        run(cell, parent);
    }

    private void run(int cell, JsonObject parent) {
        running = cell;
        runningParent = parent;
        streams.clear();
    }

    /** The running cell ended. */
    public void cellFinished() {
        running = -1;
        runningParent = null;
        streams.clear();
    }

    /** The request a display from a thread started by {@code cell} belongs to. */
    public JsonObject parentFor(int cell) {
        return target(cell).parent();
    }

    private Target target(int cell) {
        if (runningParent != null && cell == running) {
            return new Target(runningParent, false);
        }
        if (!startingCellRule) {
            if (runningParent != null) {
                return new Target(runningParent, true);
            }
            Run run = runs.get(cell);
            return new Target(run != null ? run.parent() : latest, false);
        }
        Run run = runs.get(cell);
        if (run != null) {
            if (run.cellId() == null) {
                return new Target(run.parent(), false);
            }
            Integer newest = newestRunOfCellId.get(run.cellId());
            if (!deleted.contains(run.cellId()) && newest != null) {
                if (newest == cell) {
                    return new Target(run.parent(), false);
                }
                Run rerun = runs.get(newest);
                if (rerun != null) {
                    return new Target(rerun.parent(), true);
                }
            }
        }
        return new Target(runningParent != null ? runningParent : latest, true);
    }

    /**
     * Routes {@code text} written to {@code stream} by {@code thread}, which was started by
     * {@code cell} (0 when unknown).
     */
    public Routed route(int cell, String thread, String stream, String text) {
        Target target = target(cell);
        if (!target.labelled()) {
            noteWrite(target.parent(), stream, cell + "\u0000" + thread, text);
            return new Routed(target.parent(), text);
        }
        String writer = cell + "\u0000" + thread;
        StreamState state = state(target.parent(), stream);
        // Virtual threads are often nameless; the label must still say the text is not the cell's own.
        String name = thread == null || thread.isBlank() ? "unnamed thread" : thread;
        String label = cell > 0 ? "[" + name + ", cell " + cell + "] " : "[" + name + "] ";
        String out = labelCarriageReturns(text, label);
        if (!writer.equals(state.lastWriter)) {
            out = (state.atLineStart ? "" : "\n") + label + out;
        } else if (state.afterCarriageReturn) {
            out = label + out;
        }
        noteWrite(target.parent(), stream, writer, out);
        return new Routed(target.parent(), out);
    }

    private StreamState state(JsonObject parent, String stream) {
        return streams.computeIfAbsent(parent, k -> new HashMap<>()).computeIfAbsent(stream, k -> new StreamState());
    }

    private void noteWrite(JsonObject parent, String stream, String writer, String out) {
        StreamState state = state(parent, stream);
        state.lastWriter = writer;
        if (!out.isEmpty()) {
            char last = out.charAt(out.length() - 1);
            state.atLineStart = last == '\n' || last == '\r';
            state.afterCarriageReturn = last == '\r';
        }
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
