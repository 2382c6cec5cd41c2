package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %stop [NAME|PID]}: stops all background threads and child processes started by cells,
 * or only the thread called NAME or the process PID, and shows what was stopped.
 *
 * <pre>{@code
 * %stop            // everything
 * %stop spinner    // one thread
 * %stop 41872      // one process
 * %stop "worker 1" // a name with spaces
 * }</pre>
 */
final class StopMagic implements LineMagic {

    @Override
    public String name() {
        return "stop";
    }

    @Override
    public String usage() {
        return "%stop [NAME|PID]  stop background threads and processes (all, or one)";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        String target = arguments;
        if (target.length() >= 2 && target.startsWith("\"") && target.endsWith("\"")) {
            target = target.substring(1, target.length() - 1);
        }
        ctx.display(ctx.interpreter().stop(target));
        return new ExecuteResult.Ok(null);
    }
}
