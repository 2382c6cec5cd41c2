package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %lsmagic}: prints every magic with its usage.
 *
 * <pre>{@code
 * %lsmagic
 * }</pre>
 */
final class LsMagic implements LineMagic {

    private final MagicRegistry registry;

    LsMagic(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String usage() {
        return "%lsmagic  list the magics";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (!arguments.isEmpty()) {
            throw new MagicException("%lsmagic takes no arguments");
        }
        StringBuilder b = new StringBuilder("Line magics:\n");
        registry.lineMagics().forEach(m -> b.append("  ").append(m.usage()).append('\n'));
        b.append("Cell magics:\n");
        registry.cellMagics().forEach(m -> b.append("  ").append(m.cellUsage()).append('\n'));
        ctx.print(b.toString());
        return new ExecuteResult.Ok(null);
    }
}
