package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %threads}: shows the live threads started by cells (name, kind, state, CPU time, cell).
 *
 * <pre>{@code
 * %threads
 * }</pre>
 */
final class ThreadsMagic implements LineMagic {

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public String usage() {
        return "%threads  list live threads started by cells";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (!arguments.isEmpty()) {
            throw new MagicException("%threads takes no arguments");
        }
        ctx.display(ctx.interpreter().threads());
        return new ExecuteResult.Ok(null);
    }
}
