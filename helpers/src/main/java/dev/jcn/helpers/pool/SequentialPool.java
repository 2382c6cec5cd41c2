package dev.jcn.helpers.pool;

import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;

import java.time.Duration;
import java.util.List;

/**
 * No concurrency: the calling thread checks every number in order, like the notes' {@code sequential.py}.
 * The baseline every speedup is measured against.
 *
 * <pre>{@code
 * PoolRun run = Pools.sequential().run();
 * }</pre>
 */
public final class SequentialPool implements WorkerPool {

    SequentialPool() {
    }

    @Override
    public String model() {
        return "sequential";
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public PoolRun run(List<Long> numbers) {
        List<Long> checked = Jobs.numbers(numbers);
        RunLog log = new RunLog();
        for (long n : checked) {
            Duration start = log.now();
            PrimeResult result = Primes.check(n);
            log.post(new RunLog.Answer(result, new JobSpan(0, n, start, log.now(), true)));
        }
        log.post(new RunLog.Finished(0, null));
        return log.collect(model(), 1, checked);
    }

    @Override
    public String toString() {
        return "SequentialPool[]";
    }
}
