package dev.jcn.helpers.timing;

import dev.jcn.helpers.pool.PoolRun;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timings of a {@link Sweep}: every run as a Tablesaw table (model, workers, repeat, seconds, speedup)
 * and the medians per model and worker count.
 *
 * <pre>{@code
 * SweepResult r = Sweep.of("threads", "processes").workers(1, 2, 4).repeats(3).run();
 * r.toTable();          // one row per run
 * r.medians();          // model, workers, seconds, speedup, min, max, runs
 * r.speedup("threads", 2);
 * }</pre>
 *
 * <p>Speedup is the sequential median divided by the time; the sequential model always runs in a sweep, so
 * its median is known.
 *
 * @param title   a name for tables and charts ("Java 25", "CPython 3.11.7")
 * @param numbers the numbers every run checked
 * @param runs    every run in the order it ran (empty for CPython sweeps, which report only times)
 * @param table   one row per run
 */
public record SweepResult(String title, List<Long> numbers, List<PoolRun> runs, Table table) {

    /** Copies the lists. */
    public SweepResult {
        numbers = List.copyOf(numbers);
        runs = List.copyOf(runs);
    }

    /** Builds the table of runs from (model, workers, repeat, seconds) rows, computing speedups. */
    static SweepResult of(String title, List<Long> numbers, List<PoolRun> runs, List<Object[]> rows) {
        List<Double> sequential = new ArrayList<>();
        for (Object[] row : rows) {
            if (row[0].equals(Sweep.SEQUENTIAL)) {
                sequential.add((Double) row[3]);
            }
        }
        double base = sequential.isEmpty() ? Double.NaN : Timing.median(sequential);
        StringColumn model = StringColumn.create("model");
        IntColumn workers = IntColumn.create("workers");
        IntColumn repeat = IntColumn.create("repeat");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn speedup = DoubleColumn.create("speedup");
        for (Object[] row : rows) {
            model.append((String) row[0]);
            workers.append((Integer) row[1]);
            repeat.append((Integer) row[2]);
            seconds.append((Double) row[3]);
            speedup.append(base / (Double) row[3]);
        }
        return new SweepResult(title, numbers, runs, Table.create(title, model, workers, repeat, seconds, speedup));
    }

    /** One row per run: model, workers, repeat, seconds, speedup. */
    public Table toTable() {
        return table;
    }

    /** One row per model and worker count: model, workers, seconds (median), speedup, min, max, runs. */
    public Table medians() {
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        for (Row row : table) {
            groups.computeIfAbsent(row.getString("model") + "\u0000" + row.getInt("workers"), k -> new ArrayList<>())
                    .add(row.getDouble("seconds"));
        }
        double base = sequentialSeconds();
        StringColumn model = StringColumn.create("model");
        IntColumn workers = IntColumn.create("workers");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn speedup = DoubleColumn.create("speedup");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        IntColumn count = IntColumn.create("runs");
        groups.forEach((key, values) -> {
            String[] parts = key.split("\u0000");
            double median = Timing.median(values);
            model.append(parts[0]);
            workers.append(Integer.parseInt(parts[1]));
            seconds.append(median);
            speedup.append(base / median);
            min.append(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            max.append(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            count.append(values.size());
        });
        return Table.create(title + " medians", model, workers, seconds, speedup, min, max, count);
    }

    /** The sequential model's median seconds (NaN if it did not run). */
    public double sequentialSeconds() {
        return medianSeconds(Sweep.SEQUENTIAL, 1);
    }

    /**
     * The median seconds of {@code model} at {@code workers}.
     *
     * @throws IllegalArgumentException if the sweep has no such runs
     */
    public double medianSeconds(String model, int workers) {
        List<Double> values = new ArrayList<>();
        for (Row row : table) {
            if (row.getString("model").equals(model) && row.getInt("workers") == workers) {
                values.add(row.getDouble("seconds"));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the sweep has no runs of " + model + " with " + workers + " workers");
        }
        return Timing.median(values);
    }

    /** The median speedup of {@code model} at {@code workers} over the sequential median. */
    public double speedup(String model, int workers) {
        return sequentialSeconds() / medianSeconds(model, workers);
    }

    /** The models in the table, in order of first appearance. */
    public List<String> models() {
        return table.stringColumn("model").unique().asList().stream()
                .sorted((a, b) -> Integer.compare(firstRow(a), firstRow(b))).toList();
    }

    /**
     * The worker counts {@code model} ran with, ascending: a sweep without one worker still has the
     * sequential baseline's single worker among {@link #workerCounts()}, but no other model's run with it.
     */
    public List<Integer> workerCounts(String model) {
        return table.where(table.stringColumn("model").isEqualTo(model)).intColumn("workers").unique().asList()
                .stream().sorted().toList();
    }

    /** The worker counts in the table, ascending. */
    public List<Integer> workerCounts() {
        return table.intColumn("workers").unique().asList().stream().sorted().toList();
    }

    private int firstRow(String model) {
        for (int i = 0; i < table.rowCount(); i++) {
            if (table.stringColumn("model").get(i).equals(model)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
