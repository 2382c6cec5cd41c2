package dev.jcn.helpers.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One tiny protocol served two ways, to put stackless and stackful coroutines side by side: a client sends one
 * line, the server waits {@code delay} (a slow backend) and answers the line in capitals.
 *
 * <pre>{@code
 * try (LineServer loop = LineServer.eventLoop(Duration.ofMillis(500))) {        // one thread, a Selector
 *     var load = LineServer.askAll(loop, 100);                                 // 100 clients at once
 *     System.out.println(load);      // LineLoad[clients=100, answered=100, elapsed=PT0.52S]
 * }
 * try (LineServer vt = LineServer.virtualThreads(Duration.ofMillis(500))) {    // a virtual thread each
 *     System.out.println(vt.waiting()); // what a waiting conversation is, seen from inside the server
 * }
 * }</pre>
 *
 * <p>{@link EventLoopServer} is how an event loop (asyncio's, or Java's NIO) serves many connections on one
 * thread: no call may block, so each conversation's progress is kept in an object of its own — which step it is
 * at, the bytes read so far, when to answer — and the loop reacts to whatever is ready. {@link
 * ThreadPerConnectionServer} writes the same conversation as plain blocking code on a virtual thread per
 * connection: where it waits is simply where its stack is, however deep. Both listen on the loopback interface
 * on a free port; {@link #close()} stops them and every thread they started.
 */
public sealed interface LineServer extends AutoCloseable permits EventLoopServer, ThreadPerConnectionServer {

    /** The port it listens on (loopback). */
    int port();

    /** "event loop" or "virtual threads". */
    String kind();

    /** Threads the server has running now, besides the caller's: the loop thread, or the handlers. */
    int threads();

    /** Conversations that have been answered so far. */
    int answered();

    /**
     * What the server holds for the conversations waiting for their answer right now, described in a few lines:
     * the event loop's conversation objects, or a waiting virtual thread's stack.
     */
    String waiting();

    /** Stops listening and ends every thread the server started. */
    @Override
    void close();

    /** A server that runs every conversation on one thread with a {@link java.nio.channels.Selector}. */
    static LineServer eventLoop(Duration delay) {
        return new EventLoopServer(requireDelay(delay));
    }

    /** A server that runs every conversation on a virtual thread of its own, in blocking code. */
    static LineServer virtualThreads(Duration delay) {
        return new ThreadPerConnectionServer(requireDelay(delay));
    }

    /**
     * The outcome of {@link #askAll}.
     *
     * @param clients  how many clients asked
     * @param answered how many got the right answer
     * @param elapsed  from the first connection to the last answer
     */
    record LineLoad(int clients, int answered, Duration elapsed) {

        /** E.g. {@code clients=100 answered=100 seconds=0.524}. */
        public String line() {
            return String.format(Locale.ROOT, "clients=%d answered=%d seconds=%.3f", clients, answered,
                    elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Connects {@code clients} clients to the server at once (a virtual thread each), each sending
     * {@code hello-<i>} and expecting {@code HELLO-<i>}; every client gives up after 60 s.
     *
     * @throws IllegalArgumentException if {@code clients < 1}
     */
    static LineLoad askAll(LineServer server, int clients) {
        return askAll(server, clients, () -> { });
    }

    /**
     * {@link #askAll(LineServer, int)}, calling {@code whileWaiting} once every client has sent its line (and
     * before the answers are due, for a delay of more than a few milliseconds).
     */
    static LineLoad askAll(LineServer server, int clients, Runnable whileWaiting) {
        if (clients < 1) {
            throw new IllegalArgumentException("at least 1 client, got " + clients);
        }
        var sent = new java.util.concurrent.CountDownLatch(clients);
        long t0 = System.nanoTime();
        List<Future<Boolean>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                String line = "hello-" + i;
                answers.add(threads.submit(() -> ask(server.port(), line, sent)));
            }
            if (sent.await(60, TimeUnit.SECONDS)) {
                whileWaiting.run();
            }
            int ok = 0;
            for (Future<Boolean> answer : answers) {
                if (answer.get(60, TimeUnit.SECONDS)) {
                    ok++;
                }
            }
            return new LineLoad(clients, ok, Duration.ofNanos(System.nanoTime() - t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while asking");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a client failed: " + e, e);
        }
    }

    private static boolean ask(int port, String line, java.util.concurrent.CountDownLatch sent) throws IOException {
        boolean counted = false;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.println(line);
            sent.countDown();
            counted = true;
            return line.toUpperCase(Locale.ROOT).equals(in.readLine());
        } finally {
            if (!counted) {
                // A client that failed before sending must not keep askAll waiting for it.
                sent.countDown();
            }
        }
    }

    private static Duration requireDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("the delay must not be negative, got " + delay);
        }
        return delay;
    }
}
