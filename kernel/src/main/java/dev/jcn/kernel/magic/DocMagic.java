package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Inspection;

/**
 * {@code %doc NAME}: opens the documentation of a class, method or variable in the frontend's
 * pager (the same text as Shift+Tab inspection, in full).
 *
 * <pre>{@code
 * %doc java.util.concurrent.StructuredTaskScope
 * }</pre>
 */
final class DocMagic implements LineMagic {

    @Override
    public String name() {
        return "doc";
    }

    @Override
    public String usage() {
        return "%doc NAME  show the documentation of NAME in the pager";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%doc needs a name, e.g. %doc Thread.sleep");
        }
        Inspection found = inspect(ctx, arguments);
        if ((!found.found() || found.bundle() == null) && !arguments.endsWith("(")) {
            // JShell documents a method only from inside its call: Thread.sleep( rather than Thread.sleep.
            found = inspect(ctx, arguments + "(");
        }
        if (!found.found() || found.bundle() == null) {
            throw new MagicException("no documentation found for " + arguments);
        }
        ctx.page(found.bundle());
        return new ExecuteResult.Ok(null);
    }

    private static Inspection inspect(MagicContext ctx, String code) {
        return ctx.interpreter().inspect(code, code.codePointCount(0, code.length()), 1);
    }
}
