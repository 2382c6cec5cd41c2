package dev.jcn.helpers.testing;

import dev.jcn.helpers.spinner.Spinner;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A print stream that keeps what is written and lets a test wait, bounded, until enough spinner frames or
 * some text arrived; {@link #installAsStdout()} also puts it in place of {@link System#out} until closed.
 */
public final class Capture extends PrintStream {

    private final Sink sink;
    private PrintStream previous;

    public Capture() {
        this(new Sink());
    }

    private Capture(Sink sink) {
        super(sink, true, StandardCharsets.UTF_8);
        this.sink = sink;
    }

    public Capture installAsStdout() {
        previous = System.out;
        System.setOut(this);
        return this;
    }

    public String text() {
        return sink.text();
    }

    /** Spinner frames seen: a carriage return followed by a frame character. */
    public int frames() {
        return sink.frames();
    }

    public boolean awaitFrames(int n, Duration timeout) throws InterruptedException {
        return sink.await(() -> sink.framesUnlocked() >= n, timeout);
    }

    public boolean awaitText(String text, Duration timeout) throws InterruptedException {
        return sink.await(() -> sink.textUnlocked().contains(text), timeout);
    }

    @Override
    public void close() {
        flush();
        if (previous != null) {
            System.setOut(previous);
            previous = null;
        }
    }

    private static final class Sink extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return textUnlocked();
        }

        String textUnlocked() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized int frames() {
            return framesUnlocked();
        }

        int framesUnlocked() {
            String t = textUnlocked();
            int count = 0;
            for (int i = 0; i + 1 < t.length(); i++) {
                if (t.charAt(i) == '\r' && Spinner.FRAMES.indexOf(t.charAt(i + 1)) >= 0) {
                    count++;
                }
            }
            return count;
        }

        synchronized boolean await(java.util.function.BooleanSupplier condition, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
