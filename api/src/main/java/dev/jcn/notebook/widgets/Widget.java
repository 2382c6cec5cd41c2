package dev.jcn.notebook.widgets;

import dev.jcn.notebook.Comm;
import dev.jcn.notebook.Displayable;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Jupyter widget: a model whose state lives here and in the frontend, kept in step over a comm of
 * the {@code jupyter.widget} target (widget protocol 2.1, the one ipywidgets 8 and
 * jupyterlab_widgets 3 speak). Displaying it shows its view; every view of it shows the same state.
 *
 * <pre>{@code
 * var workers = new IntSlider("workers", 1, 8, 4);
 * workers.onChange(n -> System.out.println("now " + n));   // runs here when the reader moves it
 * display(workers);
 * workers.value(6);                                       // moves every view of it
 * }</pre>
 *
 * <p>A change from the frontend is applied, echoed back ({@code echo_update}) and then passed to the
 * listeners, on a thread that belongs to the cell that made the widget: what a listener prints goes
 * under that cell, and an exception it throws is printed there.
 */
public abstract class Widget implements Displayable {

    static final String TARGET = "jupyter.widget";
    static final String CONTROL_TARGET = "jupyter.widget.control";
    static final String PROTOCOL_VERSION = "2.1.0";
    static final String CONTROLS = "@jupyter-widgets/controls";
    static final String BASE = "@jupyter-widgets/base";
    static final String OUTPUT = "@jupyter-widgets/output";
    /** Version of the base and controls modules of jupyterlab_widgets 3; the output module is 1.0.0. */
    static final String VERSION = "2.0.0";

    /** Every widget not yet closed, by model id: a reloaded page asks for all of them. */
    private static final Map<String, Widget> LIVE = new ConcurrentHashMap<>();

    /** Whether a page with a widget manager has connected to this kernel (it opens the control comm). */
    private static volatile boolean frontendSeen;

    /**
     * For the kernel, at start: accepts the control comm that a page with a widget manager opens when
     * it connects, and answers its {@code request_states} with every live model, so a reloaded page
     * gets its widgets back.
     */
    public static void acceptControlComms() {
        Comm.registerTarget(CONTROL_TARGET, (comm, open) -> {
            frontendSeen = true;
            comm.onMessage(m -> {
                if ("request_states".equals(m.data().get("method"))) {
                    sendAllStates(comm);
                }
            });
        });
    }

    /**
     * Whether widgets are seen: a page with a widget manager (JupyterLab with jupyterlab_widgets) has
     * connected. Headless runners (nbclient, papermill) never open the control comm.
     */
    public static boolean frontendShowsWidgets() {
        return frontendSeen;
    }

    private final Comm comm;
    private final Map<String, Object> state;
    private final Map<String, List<Consumer<Object>>> listeners = new ConcurrentHashMap<>();
    private final List<Consumer<Map<String, Object>>> customListeners = new CopyOnWriteArrayList<>();

    /**
     * Opens the model {@code modelName} of {@code module} (version {@code moduleVersion}) with the view
     * {@code viewName} of the same module and the given state.
     */
    Widget(String module, String moduleVersion, String modelName, String viewModule, String viewName, Map<String, Object> initial) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("_model_module", module);
        s.put("_model_module_version", moduleVersion);
        s.put("_model_name", modelName);
        s.put("_view_count", null);
        s.put("_view_module", viewModule);
        s.put("_view_module_version", viewModule.equals(module) ? moduleVersion : VERSION);
        s.put("_view_name", viewName);
        s.putAll(initial);
        this.state = s;
        Outgoing out = outgoing(s);
        this.comm = Comm.open(TARGET, Map.of("state", out.state(), "buffer_paths", out.paths()),
                Map.of("version", PROTOCOL_VERSION), out.buffers());
        comm.onMessage(this::received);
        comm.onClose(m -> LIVE.remove(comm.id()));
        LIVE.put(comm.id(), this);
    }

    /** The model id, which is the comm id. */
    public String modelId() {
        return comm.id();
    }

    /** How other models refer to this one in their state. */
    String reference() {
        return "IPY_MODEL_" + comm.id();
    }

    /** Closes the model: every view of it goes blank, and it can no longer change. */
    public void close() {
        LIVE.remove(comm.id());
        comm.close();
    }

    @Override
    public MimeBundle mimeBundle() {
        return MimeBundle.of("application/vnd.jupyter.widget-view+json",
                Map.of("version_major", 2L, "version_minor", 0L, "model_id", comm.id())).with("text/plain", toString());
    }

    @Override
    public String toString() {
        Object name = state.get("_model_name");
        return String.valueOf(name).replace("Model", "") + "(" + describe() + ")";
    }

    /** The attributes {@link #toString} shows. */
    String describe() {
        Object value = get("value");
        return value == null ? "" : "value=" + value;
    }

    /** The current value of state attribute {@code name}. */
    final Object get(String name) {
        synchronized (state) {
            return state.get(name);
        }
    }

    /** Sets state attributes here and in the frontend; the listeners of the attributes that changed run. */
    final void set(Map<String, Object> changes) {
        Map<String, Object> changed = apply(changes);
        if (!changed.isEmpty()) {
            Outgoing out = outgoing(changed);
            comm.send(Map.of("method", "update", "state", out.state(), "buffer_paths", out.paths()), Map.of(), out.buffers());
            notifyListeners(changed);
        }
    }

    final void set(String name, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(name, value);
        set(one);
    }

    /** Calls {@code listener} with the new value of {@code name} whenever it changes. */
    final void listen(String name, Consumer<Object> listener) {
        listeners.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Calls {@code listener} with the content of each custom message from the frontend (a button's click). */
    final void listenCustom(Consumer<Map<String, Object>> listener) {
        customListeners.add(listener);
    }

    private Map<String, Object> apply(Map<String, Object> changes) {
        Map<String, Object> changed = new LinkedHashMap<>();
        synchronized (state) {
            changes.forEach((k, v) -> {
                Object before = state.get(k);
                state.put(k, v);
                if (!equalValues(before, v)) {
                    changed.put(k, v);
                }
            });
        }
        return changed;
    }

    private static boolean equalValues(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private void notifyListeners(Map<String, Object> changed) {
        changed.forEach((k, v) -> listeners.getOrDefault(k, List.of()).forEach(l -> l.accept(v)));
    }

    @SuppressWarnings("unchecked")
    private void received(CommFrame m) {
        Object method = m.data().get("method");
        if ("update".equals(method) && m.data().get("state") instanceof Map<?, ?> raw) {
            Map<String, Object> changes = new LinkedHashMap<>((Map<String, Object>) raw);
            if (m.data().get("buffer_paths") instanceof List<?> paths) {
                for (int i = 0; i < paths.size() && i < m.buffers().size(); i++) {
                    if (paths.get(i) instanceof List<?> path && path.size() == 1 && path.get(0) instanceof String key) {
                        changes.put(key, m.buffers().get(i));
                    }
                }
            }
            // The frontend matches the echo to its own update and drops views' stale values.
            Outgoing echo = outgoing(changes);
            comm.send(Map.of("method", "echo_update", "state", echo.state(), "buffer_paths", echo.paths()), Map.of(), echo.buffers());
            notifyListeners(apply(changes));
        } else if ("request_state".equals(method)) {
            Outgoing out = outgoing(snapshot());
            comm.send(Map.of("method", "update", "state", out.state(), "buffer_paths", out.paths()), Map.of(), out.buffers());
        } else if ("custom".equals(method) && m.data().get("content") instanceof Map<?, ?> content) {
            receivedCustom((Map<String, Object>) content);
        }
    }

    /** Runs the listeners of a custom message. */
    final void receivedCustom(Map<String, Object> content) {
        customListeners.forEach(l -> l.accept(content));
    }

    private Map<String, Object> snapshot() {
        synchronized (state) {
            return new LinkedHashMap<>(state);
        }
    }

    /** State as sent: binary values leave the JSON and travel as buffers, named by their paths. */
    private record Outgoing(Map<String, Object> state, List<Object> paths, List<byte[]> buffers) {}

    private static Outgoing outgoing(Map<String, Object> s) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Object> paths = new ArrayList<>();
        List<byte[]> buffers = new ArrayList<>();
        s.forEach((k, v) -> {
            if (v instanceof byte[] bytes) {
                paths.add(List.of(k));
                buffers.add(bytes);
            } else {
                json.put(k, v);
            }
        });
        return new Outgoing(json, paths, buffers);
    }

    /** Answers the control comm's {@code request_states}: every live model with its whole state. */
    private static void sendAllStates(Comm control) {
        Map<String, Object> states = new LinkedHashMap<>();
        List<Object> paths = new ArrayList<>();
        List<byte[]> buffers = new ArrayList<>();
        for (Widget w : LIVE.values()) {
            Map<String, Object> s = w.snapshot();
            Outgoing out = outgoing(s);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model_name", s.get("_model_name"));
            entry.put("model_module", s.get("_model_module"));
            entry.put("model_module_version", s.get("_model_module_version"));
            entry.put("state", out.state());
            states.put(w.modelId(), entry);
            for (int i = 0; i < out.paths().size(); i++) {
                List<Object> path = new ArrayList<>(List.of(w.modelId(), "state"));
                path.addAll((List<?>) out.paths().get(i));
                paths.add(path);
                buffers.add(out.buffers().get(i));
            }
        }
        control.send(Map.of("method", "update_states", "states", states, "buffer_paths", paths), Map.of(), buffers);
    }
}
