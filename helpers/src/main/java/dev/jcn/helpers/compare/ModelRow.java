package dev.jcn.helpers.compare;

import java.time.Duration;
import java.util.Locale;

/**
 * One concurrency model in the comparison table, every cell measured in the run that made it.
 *
 * <pre>{@code
 * ModelRow row = ModelExperiments.measure("virtual", 2);
 * row.line();   // model=virtual start_us=1.4 cpu_speedup=1.81 io_in_flight=96.2 memory_kb=1.1 ...
 * }</pre>
 *
 * @param model        the model's name, as the pools call it ("threads", "processes", ...)
 * @param how          the model in words, e.g. "2 platform threads over a queue"
 * @param startCost    what starting one worker cost (zero for a model with no worker of its own)
 * @param cpuSpeedup   the fixture's 20 numbers checked with this model's workers, against the sequential run
 * @param ioInFlight   how many 50 ms waits were in progress at once, on average, when this model ran 100 of them
 * @param memoryBytes  the memory one more worker takes (zero for a model with no worker of its own)
 * @param isolation    what the workers share with the caller, as the experiment showed it
 * @param workerDeath  what happened when a worker's job called {@code System.exit(3)}
 */
public record ModelRow(String model, String how, Duration startCost, double cpuSpeedup, double ioInFlight,
                       long memoryBytes, String isolation, String workerDeath) {

    /** Checks the cells. */
    public ModelRow {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a row needs the model's name");
        }
        if (startCost == null || startCost.isNegative() || memoryBytes < 0 || !(cpuSpeedup > 0)
                || !(ioInFlight > 0)) {
            throw new IllegalArgumentException("a row's measurements must be positive (or zero for no worker): "
                    + startCost + ", " + cpuSpeedup + ", " + ioInFlight + ", " + memoryBytes);
        }
    }

    /**
     * The row as {@code key=value} pairs (spaces in the text cells become underscores), for checks that read it:
     * {@code model=virtual start_us=1.4 cpu_speedup=1.81 io_in_flight=96.2 memory_kb=1.1 isolation=... death=...}.
     */
    public String line() {
        return String.format(Locale.ROOT, "model=%s start_us=%.1f cpu_speedup=%.2f io_in_flight=%.1f memory_kb=%.1f "
                + "isolation=%s death=%s", model, startCost.toNanos() / 1e3, cpuSpeedup, ioInFlight,
                memoryBytes / 1024.0, isolation.replace(' ', '_'), workerDeath.replace(' ', '_'));
    }
}
