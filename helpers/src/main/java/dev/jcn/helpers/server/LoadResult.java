package dev.jcn.helpers.server;

import java.time.Duration;
import java.util.Locale;

/**
 * What a {@link LoadTest} measured.
 *
 * <pre>{@code
 * LoadResult r = LoadTest.run(server.uri(), 400, 400);
 * r.seconds();  r.perSecond();  r.median();  r.p99();
 * }</pre>
 *
 * @param requests how many requests were sent
 * @param ok       how many got a 200 answer
 * @param wall     time from the first request to the last answer
 * @param median   the median latency of one request
 * @param p99      the 99th-percentile latency
 */
public record LoadResult(int requests, int ok, Duration wall, Duration median, Duration p99) {

    /** Wall-clock seconds. */
    public double seconds() {
        return wall.toNanos() / 1e9;
    }

    /** Answered requests per second. */
    public double perSecond() {
        return ok / seconds();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d ok in %.3f s (%.0f/s), median %.1f ms, p99 %.1f ms", ok, requests,
                seconds(), perSecond(), median.toNanos() / 1e6, p99.toNanos() / 1e6);
    }
}
