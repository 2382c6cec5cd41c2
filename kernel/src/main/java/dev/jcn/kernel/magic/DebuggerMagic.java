package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;

/**
 * {@code %debugger restart}: restarts the user JVM in debug mode, so that JupyterLab's debugger stops
 * at breakpoints. The user JVM starts without the debug agent (it slows every cell) and cannot take it
 * later; switching the debugger on restarts a JVM that holds no state by itself, and this magic is the
 * way for one where cells ran: their variables, methods and threads are lost.
 *
 * <pre>{@code
 * %debugger restart
 * }</pre>
 */
final class DebuggerMagic implements LineMagic {

    static final String RESTARTED = "restarted the user JVM in debug mode: breakpoints stop from now on;"
            + " the variables, methods, classes and threads of earlier cells are gone, so run the cells they need again";

    @Override
    public String name() {
        return "debugger";
    }

    @Override
    public String usage() {
        return "%debugger restart  restart the user JVM in debug mode (earlier cells' state is lost)";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (!arguments.equals("restart")) {
            throw new MagicException("usage: " + usage());
        }
        if (!ctx.interpreter().restartInDebugMode()) {
            throw new MagicException("this kernel's interpreter has no debugger");
        }
        ctx.print(RESTARTED + "\n");
        return new ExecuteResult.Ok(null);
    }
}
