package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * A magic written as one line at the top of a cell: {@code %name arguments}.
 *
 * <pre>{@code
 * registry.register(new LoadMagic());
 * ExecuteResult r = registry.line("load").run("setup.jsh", ctx);
 * }</pre>
 */
public interface LineMagic {

    /** The name after {@code %}. */
    String name();

    /** One line of usage, e.g. {@code %load FILE.jsh|FILE.java}. */
    String usage();

    /** Runs the magic; returns the result the cell shows, {@code Ok(null)} for none. */
    ExecuteResult run(String arguments, MagicContext ctx) throws MagicException;
}
