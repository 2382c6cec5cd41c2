package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's own pool: a fixed thread pool ({@code Executors.newFixedThreadPool}) gets one task per number,
 * and the results are read in completion order, like {@code concurrent.futures.as_completed}.
 *
 * <pre>{@code
 * PoolRun run = Pools.executor(4).run();
 * }</pre>
 */
public final class ExecutorPool implements WorkerPool {

    private final int workers;

    ExecutorPool(int workers) {
        this.workers = Jobs.workers(workers);
    }

    @Override
    public String model() {
        return "executor";
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        List<Long> checked = Jobs.numbers(numbers);
        RunLog log = new RunLog();
        AtomicInteger nextWorker = new AtomicInteger();
        ThreadLocal<Integer> workerId = ThreadLocal.withInitial(nextWorker::getAndIncrement);
        ThreadFactory factory = Thread.ofPlatform().daemon(true).name("executor-worker-", 0).factory();
        try (ExecutorService executor = Executors.newFixedThreadPool(workers, factory)) {
            var completion = new ExecutorCompletionService<RunLog.Answer>(executor);
            for (long n : checked) {
                completion.submit(() -> {
                    Duration start = log.now();
                    PrimeResult result = Primes.check(n);
                    return new RunLog.Answer(result, new JobSpan(workerId.get(), n, start, log.now(), true));
                });
            }
            try {
                for (int i = 0; i < checked.size(); i++) {
                    Future<RunLog.Answer> done = completion.take();
                    log.post(done.get());
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
                throw new CancellationException("pool run interrupted");
            } catch (ExecutionException e) {
                executor.shutdownNow();
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("a task failed: " + e.getCause(), e.getCause());
            }
        }
        for (int i = 0; i < workers; i++) {
            log.post(new RunLog.Finished(i, null));
        }
        return log.collect(model(), workers, checked);
    }

    @Override
    public String toString() {
        return "ExecutorPool[workers=" + workers + "]";
    }
}
