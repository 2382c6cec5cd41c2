package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.notebook.MimeBundle;

/**
 * What a magic may do while its cell runs: reach the interpreter, print, display, run code.
 *
 * <pre>{@code
 * ExecuteResult r = ctx.execute("Thread.sleep(100)");
 * ctx.print("Wall time: 100 ms\n");
 * }</pre>
 */
public interface MagicContext {

    /** The interpreter running the cell. */
    Interpreter interpreter();

    /** The execution count of the cell. */
    int cell();

    /** Writes text to the cell's standard output. */
    void print(String text);

    /** Shows a rich output in the cell. */
    void display(MimeBundle bundle);

    /** Shows a long text in the frontend's pager (a {@code page} payload of the execute reply). */
    void page(MimeBundle bundle);

    /** Runs {@code code} as part of this cell, magics included. */
    ExecuteResult execute(String code) throws MagicException;
}
