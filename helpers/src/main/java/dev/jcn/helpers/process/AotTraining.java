package dev.jcn.helpers.process;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The training run behind {@link AotCache}: touches what child JVMs use at start (launcher, pipes, threads,
 * the prime fixture), so those classes land in the cache.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=app.aot -cp ... dev.jcn.helpers.process.ChildMain dev.jcn.helpers.process.AotTraining
 * }</pre>
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** Runs the training workload and prints one line. */
    public static void main(String[] args) throws Exception {
        var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        var latch = new CountDownLatch(2);
        Thread.ofPlatform().start(latch::countDown);
        Thread.ofVirtual().start(latch::countDown);
        latch.await();
        PrimeResult r = Primes.check(1_000_003L);
        System.out.println("trained " + r.line() + " " + Duration.ofMillis(1) + " " + (reader.ready() ? "" : "-"));
        System.out.flush();
    }
}
