package dev.jcn.helpers.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies one stream of a child process as it arrives. In relay mode text goes to the stream the supplier
 * gives at write time, whole lines at once, and a trailing partial line (a spinner frame after {@code \r})
 * as soon as the pipe has nothing more for now. In line mode complete lines go to a handler instead. The
 * observer sees each piece only after it was printed and flushed (or handed to the handler).
 */
final class OutputRelay implements Runnable {

    private final InputStream in;
    private final Supplier<PrintStream> target;
    private final Consumer<String> lineHandler;
    private final Consumer<String> observer;
    private final Runnable onFirstByte;
    private final StringBuilder pending = new StringBuilder();

    /**
     * @param target      where relayed text goes, or null in line mode
     * @param lineHandler receives complete lines (without the newline), or null in relay mode
     * @param observer    sees every piece of text as it is handled, or null
     * @param onFirstByte runs once when the first byte arrives
     */
    OutputRelay(InputStream in, Supplier<PrintStream> target, Consumer<String> lineHandler,
                Consumer<String> observer, Runnable onFirstByte) {
        this.in = in;
        this.target = target;
        this.lineHandler = lineHandler;
        this.observer = observer;
        this.onFirstByte = onFirstByte;
    }

    @Override
    public void run() {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        byte[] bytes = new byte[8192];
        ByteBuffer input = ByteBuffer.allocate(8192 + 8);
        CharBuffer chars = CharBuffer.allocate(8192 + 8);
        boolean first = true;
        try {
            int read;
            while ((read = in.read(bytes)) >= 0) {
                if (read == 0) {
                    continue;
                }
                if (first) {
                    first = false;
                    onFirstByte.run();
                }
                input.put(bytes, 0, read).flip();
                decoder.decode(input, chars, false);
                input.compact();
                chars.flip();
                pending.append(chars);
                chars.clear();
                emit(in.available() == 0);
            }
        } catch (IOException closed) {
            // The child ended or the pipe was closed by close(): whatever arrived is flushed below.
        } finally {
            emit(true);
            finish();
        }
    }

    private void emit(boolean drained) {
        if (pending.isEmpty()) {
            return;
        }
        if (lineHandler != null) {
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
                int end = nl > 0 && pending.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                String line = pending.substring(0, end);
                pending.delete(0, nl + 1);
                lineHandler.accept(line);
                observe(line + "\n");
            }
            return;
        }
        int cut = drained ? pending.length() : Math.max(pending.lastIndexOf("\n"), pending.lastIndexOf("\r")) + 1;
        if (cut <= 0) {
            return;
        }
        String text = pending.substring(0, cut);
        pending.delete(0, cut);
        PrintStream out = target.get();
        synchronized (out) {
            out.print(text);
            out.flush();
        }
        // Observed only once printed: a caller woken by the observer (ChildProcess.awaitLine) then finds
        // the line already on the console, not in the next notebook cell's output.
        observe(text);
    }

    /** Hands a final partial line to the handler in line mode, once the stream has ended. */
    private void finish() {
        if (lineHandler != null && !pending.isEmpty()) {
            String line = pending.toString();
            pending.setLength(0);
            lineHandler.accept(line);
            observe(line);
        }
    }

    private void observe(String text) {
        if (observer != null) {
            observer.accept(text);
        }
    }
}
