package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * A magic that owns its whole cell: {@code %%name arguments} on the first line, the body below.
 *
 * <pre>{@code
 * ExecuteResult r = registry.cell("time").run("", "long n = 0; for (...) n++; n", ctx);
 * }</pre>
 */
public interface CellMagic {

    /** The name after {@code %%}. */
    String name();

    /** One line of usage, e.g. {@code %%time  time the whole cell}. */
    String cellUsage();

    /** Runs the magic over {@code body}; returns the result the cell shows. */
    ExecuteResult run(String arguments, String body, MagicContext ctx) throws MagicException;
}
