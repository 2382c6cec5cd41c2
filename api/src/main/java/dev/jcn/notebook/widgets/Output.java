package dev.jcn.notebook.widgets;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Renderers;
import dev.jcn.notebook.spi.Host;
import dev.jcn.notebook.spi.OutputSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An area of output that code fills: what {@link #capture} runs prints and displays lands here
 * instead of in its cell, so a listener's output shows next to its controls.
 *
 * <pre>{@code
 * var out = new Output();
 * run.onClick(() -> out.capture(() -> {
 *     out.clear();
 *     System.out.println("sweeping...");
 *     display(chart);
 * }));
 * display(new VBox(run, out));
 * }</pre>
 */
public final class Output extends Control {

    private final List<Map<String, Object>> outputs = new ArrayList<>();
    private boolean clearOnNext;

    public Output() {
        super(OUTPUT, "1.0.0", "OutputModel", "OutputView", null, Map.of(), state());
    }

    private static Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("msg_id", "");
        s.put("outputs", List.of());
        return s;
    }

    /**
     * Runs {@code code} on the calling thread with what it prints and displays going into this area
     * (threads it starts print to their cell as usual).
     */
    public void capture(Runnable code) {
        Host.current().divertOutput(new OutputSink() {
            @Override
            public void text(boolean stderr, String text) {
                append(stderr ? "stderr" : "stdout", text);
            }

            @Override
            public void display(MimeBundle bundle) {
                show(bundle);
            }

            @Override
            public void clear(boolean wait) {
                if (wait) {
                    synchronized (outputs) {
                        clearOnNext = true;
                    }
                } else {
                    Output.this.clear();
                }
            }
        }, code);
    }

    /** Adds text, as if printed to {@code stream} ({@code "stdout"} or {@code "stderr"}). */
    public void append(String stream, String text) {
        synchronized (outputs) {
            startEntry();
            Map<String, Object> last = outputs.isEmpty() ? null : outputs.getLast();
            if (last != null && "stream".equals(last.get("output_type")) && stream.equals(last.get("name"))) {
                last.put("text", last.get("text") + text);
            } else {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("output_type", "stream");
                entry.put("name", stream);
                entry.put("text", text);
                outputs.add(entry);
            }
            publish();
        }
    }

    /** Adds {@code value} rendered as {@code display(value)} would. */
    public void show(Object value) {
        MimeBundle bundle = Renderers.render(value);
        synchronized (outputs) {
            startEntry();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("output_type", "display_data");
            entry.put("data", bundle.data());
            entry.put("metadata", bundle.metadata());
            outputs.add(entry);
            publish();
        }
    }

    /** Empties the area. */
    public void clear() {
        synchronized (outputs) {
            clearOnNext = false;
            outputs.clear();
            publish();
        }
    }

    /** The text printed into the area so far, stream by stream in order. */
    public String text() {
        StringBuilder b = new StringBuilder();
        synchronized (outputs) {
            outputs.stream().filter(o -> "stream".equals(o.get("output_type"))).forEach(o -> b.append(o.get("text")));
        }
        return b.toString();
    }

    private void startEntry() {
        if (clearOnNext) {
            clearOnNext = false;
            outputs.clear();
        }
    }

    private void publish() {
        List<Object> copy = new ArrayList<>();
        outputs.forEach(o -> copy.add(new LinkedHashMap<>(o)));
        set("outputs", copy);
    }

    @Override
    String describe() {
        synchronized (outputs) {
            return outputs.size() + " outputs";
        }
    }
}
