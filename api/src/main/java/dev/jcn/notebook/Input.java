package dev.jcn.notebook;

import dev.jcn.notebook.spi.Host;
import java.util.Objects;

/**
 * Lines typed by the reader. In JupyterLab each call shows an input box under the cell; a run without
 * a reader (nbclient, {@code make notebooks}) gets the end of input at once, and so does a thread
 * that asks after its cell has ended. {@code System.in} ({@code Scanner}, {@code BufferedReader})
 * reads through the same box; {@link #password} is the way to ask without showing what is typed.
 *
 * <pre>{@code
 * String name = Input.line("your name? ");
 * char[] secret = Input.password("password: ");   // the box hides the characters
 * if (name == null) { System.out.println("nobody to ask"); }
 * }</pre>
 *
 * <p>An interrupt while the box waits ends the cell, like any other interrupt.
 */
public final class Input {

    private Input() {}

    /** The line typed after {@code prompt}, without its line end; null at the end of input. */
    public static String line(String prompt) {
        return Host.current().readLine(Objects.requireNonNullElse(prompt, ""), false);
    }

    /** Like {@link #line}, but hidden as it is typed; the characters can be cleared after use. */
    public static char[] password(String prompt) {
        String typed = Host.current().readLine(Objects.requireNonNullElse(prompt, ""), true);
        return typed == null ? null : typed.toCharArray();
    }
}
