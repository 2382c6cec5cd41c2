package dev.jcn.helpers.spinner;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Draws the frames of one spinner line; shared by every spinner that draws in this JVM. */
final class SpinnerLine {

    private final String message;
    private final Supplier<PrintStream> out;
    private volatile int frames;

    SpinnerLine(String message, Supplier<PrintStream> out) {
        this.message = check(message);
        this.out = out;
    }

    /** Returns {@code message} if it can be a spinner message: one line of text. */
    static String check(String message) {
        if (message == null || message.contains("\n") || message.contains("\r")) {
            throw new IllegalArgumentException("a spinner message must be one line of text, got " + quote(message));
        }
        return message;
    }

    String message() {
        return message;
    }

    int frames() {
        return frames;
    }

    /**
     * Draws frames until {@code pause} returns true, then clears the line. {@code pause} waits one interval
     * and says whether to stop.
     */
    void spin(BooleanSupplier pause) {
        String status = "";
        try {
            for (int i = 0; ; i++) {
                status = "\r" + Spinner.FRAMES.charAt(i % Spinner.FRAMES.length()) + " " + message;
                // Looked up per frame: a notebook kernel may swap System.out between cells.
                PrintStream stream = out.get();
                // Counted before it is printed, so whoever sees the frame also sees it counted.
                frames++;
                stream.print(status);
                stream.flush();
                if (pause.getAsBoolean()) {
                    break;
                }
            }
        } finally {
            PrintStream stream = out.get();
            stream.print("\r" + " ".repeat(Math.max(0, status.length() - 1)) + "\r");
            stream.flush();
        }
    }

    /** Sleeps one interval, the virtual-thread way; returns true (stop) when interrupted, the cancellation. */
    static boolean napUntilInterrupted() {
        try {
            Thread.sleep(Spinner.INTERVAL);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
