package dev.jcn.helpers.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server (the JDK's {@code HttpServer}) whose every response takes a fixed time, like a
 * handler waiting on a database: it shows what a fixed pool of platform threads and a thread per request on
 * virtual threads do under many slow requests at once.
 *
 * <pre>{@code
 * try (var server = SlowServer.fixedPool(8, Duration.ofMillis(100))) {
 *     LoadResult r = LoadTest.run(server.uri(), 400, 400);   // 400 requests, all at once
 *     System.out.println(r);                                 // about 5 s: 400 / 8 threads × 0.1 s
 * }
 * try (var server = SlowServer.virtualThreads(Duration.ofMillis(100))) {
 *     System.out.println(LoadTest.run(server.uri(), 400, 400));   // about 0.1–0.3 s
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 on a free port; {@link #close()} stops it and its threads.
 */
public final class SlowServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final String kind;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private SlowServer(String kind, ExecutorService executor, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the delay must not be negative, got " + delay);
        }
        this.kind = kind;
        this.executor = executor;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        } catch (IOException e) {
            executor.close();
            throw new UncheckedIOException("cannot open a loopback server: " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, delay));
        server.start();
    }

    /** A server handling requests on a fixed pool of {@code threads} platform threads. */
    public static SlowServer fixedPool(int threads, Duration delay) {
        if (threads < 1) {
            throw new IllegalArgumentException("a fixed pool needs at least 1 thread, got " + threads);
        }
        return new SlowServer("fixed pool of " + threads, Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("slow-server-", 0).daemon(true).factory()), delay);
    }

    /** A server handling each request on a new virtual thread. */
    public static SlowServer virtualThreads(Duration delay) {
        return new SlowServer("virtual threads", Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("slow-server-", 0).factory()), delay);
    }

    private void handle(HttpExchange exchange, Duration delay) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            Thread.sleep(delay);
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            served.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The address to send requests to. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** How many requests were answered. */
    public int served() {
        return served.get();
    }

    /** The most requests handled at the same moment: the pool size, or the load for virtual threads. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Stops listening and stops the handler threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        executor.close();
    }

    @Override
    public String toString() {
        return "SlowServer[" + kind + ", " + uri() + ", served " + served() + "]";
    }
}
