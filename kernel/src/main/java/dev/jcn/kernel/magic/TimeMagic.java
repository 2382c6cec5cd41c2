package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;
import java.time.Duration;

/**
 * {@code %time STATEMENT} times one statement; {@code %%time} on the first line times the whole
 * cell. Both print the wall time after the code ran (even when it failed) and show its result.
 *
 * <pre>{@code
 * %time Thread.sleep(200)
 * }</pre>
 */
final class TimeMagic implements LineMagic, CellMagic {

    @Override
    public String name() {
        return "time";
    }

    @Override
    public String usage() {
        return "%time STATEMENT  time one statement";
    }

    @Override
    public String cellUsage() {
        return "%%time  time the whole cell (first line of the cell)";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%time needs a statement, e.g. %time Thread.sleep(100)");
        }
        return timed(arguments, ctx);
    }

    @Override
    public ExecuteResult run(String arguments, String body, MagicContext ctx) throws MagicException {
        if (!arguments.isEmpty()) {
            throw new MagicException("%%time takes no arguments; put the code below it");
        }
        return timed(body, ctx);
    }

    private static ExecuteResult timed(String code, MagicContext ctx) throws MagicException {
        long start = System.nanoTime();
        ExecuteResult result = ctx.execute(code);
        ctx.print("Wall time: " + format(Duration.ofNanos(System.nanoTime() - start)) + "\n");
        return result;
    }

    static String format(Duration d) {
        double ms = d.toNanos() / 1e6;
        if (ms < 1) {
            return String.format("%.0f µs", ms * 1000);
        }
        if (ms < 1000) {
            return String.format("%.1f ms", ms);
        }
        return String.format("%.2f s", ms / 1000);
    }
}
