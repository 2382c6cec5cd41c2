package dev.jcn.helpers.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends many HTTP GET requests at once from virtual threads and measures the answers: the load side of
 * {@link SlowServer}.
 *
 * <pre>{@code
 * LoadResult r = LoadTest.run(server.uri(), 1000, 200);   // 1000 requests, at most 200 in flight
 * }</pre>
 *
 * <p>Every request has a 60 s timeout, so a run always ends; failed requests count as not ok.
 */
public final class LoadTest {

    private LoadTest() {
    }

    /**
     * Sends {@code requests} requests to {@code uri}, at most {@code concurrency} at a time.
     *
     * @throws IllegalArgumentException if a count is below 1
     * @throws CancellationException    if the calling thread is interrupted
     */
    public static LoadResult run(URI uri, int requests, int concurrency) {
        if (requests < 1 || concurrency < 1) {
            throw new IllegalArgumentException("requests and concurrency must be at least 1, got "
                    + requests + " and " + concurrency);
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        Semaphore slots = new Semaphore(concurrency);
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().executor(threads).connectTimeout(Duration.ofSeconds(30)).build()) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                slots.acquire();
                sent.add(threads.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                    } catch (Exception failed) {
                        // Counted as not ok.
                    } finally {
                        latencies.add(System.nanoTime() - start);
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("load test interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a request task failed: " + e.getCause(), e.getCause());
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new LoadResult(requests, ok.get(), wall, Duration.ofNanos(percentile(sorted, 50)),
                Duration.ofNanos(percentile(sorted, 99)));
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
