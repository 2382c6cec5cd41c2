package dev.jcn.helpers.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison of the concurrency models: one {@link ModelRow} per model, every cell measured in this run,
 * shown as a Markdown table. A notebook that measures another model adds its own row.
 *
 * <pre>{@code
 * ModelTable table = ModelTable.measure(2);          // sequential, threads, virtual, executor, processes
 * table.add(myClusterRow);                           // a model measured elsewhere, e.g. by notebook 08
 * markdown(table.markdown());
 * }</pre>
 */
public final class ModelTable {

    private final List<ModelRow> rows = new ArrayList<>();

    /** An empty table. */
    public ModelTable() {
    }

    /**
     * Measures the five models of these notebooks with {@code workers} workers each (the sequential model has
     * none), one after the other: about a minute on two cores.
     */
    public static ModelTable measure(int workers) {
        ModelTable table = new ModelTable();
        for (String model : ModelExperiments.MODELS) {
            table.add(ModelExperiments.measure(model, workers));
        }
        return table;
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException if the table already has a row for that model
     */
    public ModelTable add(ModelRow row) {
        if (rows.stream().anyMatch(r -> r.model().equals(row.model()))) {
            throw new IllegalArgumentException("the table already has a row for " + row.model());
        }
        rows.add(row);
        return this;
    }

    /** The rows, in the order they were added. */
    public List<ModelRow> rows() {
        return List.copyOf(rows);
    }

    /** The table in Markdown, one row per model. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| model | start one worker | CPU-bound speedup | 50 ms waits in "
                + "flight | memory per worker | isolation | a worker calls `System.exit(3)` |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (ModelRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| **%s** (%s) | %s | %.2f× | %.1f | %s | %s | %s |%n", r.model(),
                    r.how(), r.startCost().isZero() ? "no worker" : micros(r.startCost().toNanos() / 1e3),
                    r.cpuSpeedup(), r.ioInFlight(), r.memoryBytes() == 0 ? "no worker" : bytes(r.memoryBytes()),
                    r.isolation(), r.workerDeath()));
        }
        return sb.toString();
    }

    private static String micros(double us) {
        return us >= 10_000 ? String.format(Locale.ROOT, "%,.0f ms", us / 1e3)
                : String.format(Locale.ROOT, "%,.1f µs", us);
    }

    private static String bytes(long b) {
        return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", b / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
    }
}
