package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %threads}: shows the live threads started by cells (name, kind, state, CPU time, cell) and any
 * deadlock among them as its cycle; with {@code --stacks}, each thread's stack, the lock it waits for
 * and the thread holding it, and the locks it holds.
 *
 * <pre>{@code
 * %threads
 * %threads --stacks
 * }</pre>
 */
final class ThreadsMagic implements LineMagic {

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public String usage() {
        return "%threads [--stacks]  list live threads started by cells (--stacks: their stacks and locks)";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        switch (arguments) {
            case "" -> ctx.display(ctx.interpreter().threads());
            case "--stacks" -> ctx.display(ctx.interpreter().threadStacks());
            default -> throw new MagicException("%threads takes no arguments or --stacks, not \"" + arguments + "\"");
        }
        return new ExecuteResult.Ok(null);
    }
}
