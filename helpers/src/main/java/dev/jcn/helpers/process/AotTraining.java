package dev.jcn.helpers.process;

import dev.jcn.helpers.pool.PoolWorkerMain;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.spinner.SpinnerMain;
import dev.jcn.helpers.timing.Hello;

/**
 * The training run behind {@link AotCache}: runs, briefly, what child JVMs run at start (the launcher, a pool
 * worker answering a few jobs, a spinner), so their classes land in the cache already loaded and linked.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=app.aot -cp ... dev.jcn.helpers.process.AotTraining < /dev/null
 * }</pre>
 *
 * <p>Standard input must be at its end: the pool worker and the spinner then stop at once.
 */
public final class AotTraining {

    /** How many of the fixture's numbers the training's pool worker checks. */
    private static final int TRAINING_JOBS = 6;

    private AotTraining() {
    }

    /** The argument that trains only the children that run on the helpers jar alone: Hello and the pool worker. */
    static final String HELPERS_JAR_CHILDREN = "helpers-jar-children";

    /**
     * Runs each child main class once, with an empty standard input; with {@value #HELPERS_JAR_CHILDREN}, only
     * {@code Hello} and the pool worker, the children of the helpers jar's own cache (see
     * {@link ChildJvm#helpersClassPath()}): every class a training loads is loaded again at each start of a
     * child using its cache.
     */
    public static void main(String[] args) throws Throwable {
        boolean all = args.length == 0 || !args[0].equals(HELPERS_JAR_CHILDREN);
        ChildMain.watchParent();
        Hello.main(new String[0]);
        if (all) {
            ChildMain.main(new String[]{Hello.class.getName()});
            PoolWorkerMain.main(new String[0]);
        }
        // The worker loop with real jobs: parsing, the prime check, the answer. The first NUMBERS (primes and
        // composites, about 0.1 s of work) also leave the prime loop's profile in the cache (JEP 515), so a
        // worker's JIT compiles it with C2 at once instead of profiling it first, and without the
        // deoptimisation that a profile lacking the loop's exit causes on the first prime.
        StringBuilder jobs = new StringBuilder("9\n1000003\n");
        for (int i = 0; i < TRAINING_JOBS; i++) {
            jobs.append(Primes.NUMBERS.get(i).longValue()).append('\n');
        }
        PoolWorkerMain.serve(new java.io.ByteArrayInputStream(jobs.append("0\n").toString().getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)), java.io.OutputStream.nullOutputStream());
        if (all) {
            SpinnerMain.main(new String[]{"pipe", "training%21"});
        }
        // Nothing here formats text (String.format): every class the training loads is loaded again at the
        // start of every child using the cache, and the formatter with its regular expressions and locale
        // data adds about a hundred classes that no child needs before its first output.
        System.out.flush();
    }
}
