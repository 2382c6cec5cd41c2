package dev.jcn.helpers.timing;

import java.util.Locale;

/**
 * One finished run of a sweep, handed to the progress callback.
 *
 * <pre>{@code
 * Sweep.of("threads").onProgress(p -> System.out.print("\r" + p.line())).run();
 * }</pre>
 *
 * @param done    runs finished so far
 * @param total   runs in the whole sweep
 * @param model   the run's model
 * @param workers its worker count
 * @param repeat  its repeat number, from 1
 * @param seconds its wall-clock time
 */
public record SweepProgress(int done, int total, String model, int workers, int repeat, double seconds) {

    /** A one-line summary: {@code [ 7/21] threads x2 #1: 0.512 s}. */
    public String line() {
        int width = Integer.toString(total).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d] %s x%d #%d: %.3f s", done, total, model, workers,
                repeat, seconds);
    }
}
