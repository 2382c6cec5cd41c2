package dev.jcn.notebook.widgets;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress of work counted in steps. Where the page shows widgets (JupyterLab with jupyterlab_widgets),
 * a bar with a label, {@code done/total · elapsed · ETA}, redrawn at most every
 * {@link #INTERVAL} however often {@link #step} is called; elsewhere (a headless run) nothing until the
 * end, and then one short line.
 *
 * <pre>{@code
 * try (var progress = Progress.start("sweep", workerCounts.size() * repeats)) {
 *     for (...) { measure(); progress.step(); }   // from any thread
 * }                                               // the bar shows the exact total
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    /** The shortest time between two redraws of the bar. */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    private final String description;
    private final int total;
    private final long started = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final IntProgress bar;
    private final Label label;
    private long lastDrawn;
    private boolean closed;

    private Progress(String description, int total, boolean widgets) {
        this.description = description == null ? "" : description;
        this.total = Math.max(0, total);
        if (widgets) {
            bar = new IntProgress(this.description, 0, this.total);
            label = new Label(text(0));
            dev.jcn.notebook.Display.display(new HBox(bar, label));
        } else {
            bar = null;
            label = null;
        }
        lastDrawn = started;
    }

    /** Shows progress of {@code total} steps: a bar if the page shows widgets, else nothing until {@link #close}. */
    public static Progress start(String description, int total) {
        return new Progress(description, total, Widget.frontendShowsWidgets());
    }

    /** One more step done; the bar is redrawn if {@link #INTERVAL} has passed since it last was. */
    public void step() {
        steps(1);
    }

    /** {@code n} more steps done. */
    public void steps(int n) {
        int now = done.addAndGet(n);
        if (bar != null) {
            long t = System.nanoTime();
            synchronized (this) {
                if (!closed && (t - lastDrawn >= INTERVAL.toNanos() || now >= total)) {
                    lastDrawn = t;
                    draw(done.get());
                }
            }
        }
    }

    /** Steps done so far. */
    public int done() {
        return done.get();
    }

    /** Draws the exact count (the bar turns green when the total was reached), or prints the one line. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        int n = done.get();
        if (bar != null) {
            draw(n);
            bar.barStyle(n >= total ? "success" : "warning");
        } else {
            System.out.println(description + ": " + n + "/" + total + " in " + seconds(System.nanoTime() - started));
        }
    }

    private void draw(int n) {
        bar.value(n);
        label.value(text(n));
    }

    private String text(int n) {
        long elapsed = System.nanoTime() - started;
        String eta = n == 0 || n >= total ? "" : " · ETA " + seconds(elapsed * (total - n) / n);
        return n + "/" + total + " · " + seconds(elapsed) + eta;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
