package dev.jcn.notebook.spi;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Service;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What the notebook API needs from the kernel it runs in. The kernel installs its host once, when
 * the user JVM starts; until then, and outside a kernel (a test, a plain {@code java} run), the
 * {@link #STANDALONE} host prints displays as text and runs service code as it is.
 *
 * <pre>{@code
 * Host.install(new Host() {
 *     public void display(MimeBundle bundle, String id, boolean update) { send(bundle, id, update); }
 *     public void clearOutput(boolean wait) { sendClear(wait); }
 *     public <R> R inService(Service<?> service, Callable<R> code) throws Exception { return withOwner(service, code); }
 * });
 * }</pre>
 *
 * <p>Every method may be called from any thread; the host finds the cell (or service) a call belongs
 * to from the calling thread.
 */
public interface Host {

    /** Prints the text of displays to {@code System.out}; runs service code directly. */
    Host STANDALONE = new Host() {
        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {
            System.out.println(bundle.text());
        }

        @Override
        public void clearOutput(boolean wait) {
            // nothing was shown that could be cleared
        }

        @Override
        public <R> R inService(Service<?> service, Callable<R> code) throws Exception {
            return code.call();
        }
    };

    /** Shows {@code bundle}; with {@code update} true it replaces the display {@code displayId}. */
    void display(MimeBundle bundle, String displayId, boolean update);

    /** Clears the output of the calling thread's cell; with {@code wait}, only when the next output arrives. */
    void clearOutput(boolean wait);

    /**
     * Runs {@code code} on the calling thread so that the threads it creates, and the threads those
     * create, belong to {@code service} rather than to a cell.
     */
    <R> R inService(Service<?> service, Callable<R> code) throws Exception;

    /**
     * A line typed by the reader after {@code prompt}, without its line end; null at the end of input.
     * With {@code password} the frontend hides it as it is typed. Outside a kernel: the console's
     * (hidden for a password) when there is one, else a line of {@code System.in}, read as UTF-8.
     */
    default String readLine(String prompt, boolean password) {
        Console console = System.console();
        if (console != null) {
            return password ? passwordText(console.readPassword("%s", prompt)) : console.readLine("%s", prompt);
        }
        System.out.print(prompt);
        System.out.flush();
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a comm message to the frontend; outside a kernel there is none, and it goes nowhere. */
    default void sendComm(CommFrame frame) {}

    /**
     * Runs {@code code} on the calling thread with what it prints, displays and clears going to
     * {@code sink} instead of its cell; threads it starts are not diverted. Outside a kernel the code
     * just runs.
     */
    default void divertOutput(OutputSink sink, Runnable code) {
        code.run();
    }

    private static String passwordText(char[] typed) {
        return typed == null ? null : new String(typed);
    }

    /** The installed host, or {@link #STANDALONE}. */
    static Host current() {
        return Installed.host;
    }

    /** Makes {@code host} the one the API uses from now on. */
    static void install(Host host) {
        Installed.host = Objects.requireNonNull(host, "host");
    }
}
