package dev.jcn.helpers.pool;

import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
 */
public final class PoolWorkerMain {

    /** The job that tells a worker to stop. */
    public static final long POISON_PILL = 0;

    private PoolWorkerMain() {
    }

    /** Serves jobs until the poison pill or the end of input. */
    public static void main(String[] args) throws IOException {
        ChildMain.watchParent();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            long n = Long.parseLong(line.strip());
            if (n == POISON_PILL) {
                break;
            }
            PrimeResult r = Primes.check(n);
            out.println("R " + r.n() + " " + r.prime() + " " + r.elapsed().toNanos());
            out.flush();
        }
        out.println("R 0 false 0");
        out.flush();
    }
}
