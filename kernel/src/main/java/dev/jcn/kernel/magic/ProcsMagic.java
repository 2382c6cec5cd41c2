package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %procs}: shows the live child processes started by cells (pid, command, CPU time, cell).
 *
 * <pre>{@code
 * %procs
 * }</pre>
 */
final class ProcsMagic implements LineMagic {

    @Override
    public String name() {
        return "procs";
    }

    @Override
    public String usage() {
        return "%procs  list live child processes started by cells";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (!arguments.isEmpty()) {
            throw new MagicException("%procs takes no arguments");
        }
        ctx.display(ctx.interpreter().procs());
        return new ExecuteResult.Ok(null);
    }
}
