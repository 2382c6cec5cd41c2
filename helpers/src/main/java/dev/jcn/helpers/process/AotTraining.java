package dev.jcn.helpers.process;

import dev.jcn.helpers.pool.PoolWorkerMain;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.spinner.SpinnerMain;
import dev.jcn.helpers.timing.Hello;

/**
 * The training run behind {@link AotCache}: runs, briefly, what child JVMs run at start (the launcher, a pool
 * worker answering a few jobs, a spinner, the prime check), so their classes land in the cache already
 * loaded and linked.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=app.aot -cp ... dev.jcn.helpers.process.AotTraining < /dev/null
 * }</pre>
 *
 * <p>Standard input must be at its end: the pool worker and the spinner then stop at once.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** Runs each child main class once, with an empty standard input. */
    public static void main(String[] args) throws Throwable {
        ChildMain.watchParent();
        Hello.main(args);
        ChildMain.main(new String[]{Hello.class.getName()});
        PoolWorkerMain.main(args);
        // The worker loop with real jobs: parsing, the prime check, the answer.
        PoolWorkerMain.serve(new java.io.ByteArrayInputStream("2\n9\n1000003\n0\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)), java.io.OutputStream.nullOutputStream());
        SpinnerMain.main(new String[]{"pipe", "training%21"});
        System.out.println(Primes.check(1_000_003L).line());
        System.out.flush();
    }
}
