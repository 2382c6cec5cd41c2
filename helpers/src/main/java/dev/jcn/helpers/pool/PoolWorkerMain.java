package dev.jcn.helpers.pool;

import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A worker process of {@link ProcessPool}: reads one number per line on standard input, answers each with a
 * result line on standard output, and stops at the poison pill {@code 0}, answering it with the sentinel
 * result {@code 0 false 0} like {@code procs.py}'s {@code worker()}.
 *
 * <pre>{@code
 * $ printf '7\n9\n0\n' | java ... dev.jcn.helpers.pool.PoolWorkerMain
 * R 7 true 2341
 * R 9 false 1210
 * R 0 false 0
 * }</pre>
 *
 * <p>Result lines start with {@code R }, so anything else the JVM may print on standard output (a warning)
 * cannot be mistaken for a result. The third field is the check's time in nanoseconds.
 *
 * <p>Two other jobs let experiments use the same workers: {@code W <millis>} waits that long and answers
 * {@code W <millis>} (an I/O-bound job), and {@code X <code>} makes the worker call {@code System.exit(code)}
 * at once, without answering (a worker that dies in the middle of its job).
 */
public final class PoolWorkerMain {

    /** The job that tells a worker to stop. */
    public static final long POISON_PILL = 0;

    private PoolWorkerMain() {
    }

    /** Serves jobs until the poison pill or the end of input. */
    public static void main(String[] args) throws IOException {
        ChildMain.watchParent();
        serve(System.in, System.out);
    }

    /**
     * The worker loop, on any streams: the AOT training run drives it with real jobs, so a worker JVM starts
     * with this path already loaded and linked.
     */
    public static void serve(InputStream input, OutputStream output) throws IOException {
        var in = new BufferedReader(new InputStreamReader(input, StandardCharsets.US_ASCII));
        // Built by appending rather than string concatenation: a fresh JVM's first concatenation bootstraps
        // method handles, milliseconds on every worker's first answer.
        StringBuilder reply = new StringBuilder(64);
        String line;
        while ((line = in.readLine()) != null) {
            line = line.strip();
            if (line.startsWith("W ")) {
                waitFor(Long.parseLong(line.substring(2)));
                write(output, line + "\n");
                continue;
            }
            if (line.startsWith("X ")) {
                System.exit(Integer.parseInt(line.substring(2)));
            }
            long n = Long.parseLong(line);
            if (n == POISON_PILL) {
                break;
            }
            PrimeResult r = Primes.check(n);
            reply.setLength(0);
            reply.append("R ").append(r.n()).append(' ').append(r.prime()).append(' ')
                    .append(r.elapsed().toNanos()).append('\n');
            write(output, reply);
        }
        write(output, new StringBuilder("R 0 false 0\n"));
    }

    private static void waitFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream output, CharSequence text) throws IOException {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        output.write(bytes);
        output.flush();
    }
}
