package dev.jcn.helpers.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@link LineServer} with a virtual thread per connection running plain blocking code: the conversation's
 * progress is where its thread is, and what it remembers is in the local variables of the methods on its stack.
 */
final class ThreadPerConnectionServer implements LineServer {

    private final Duration delay;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();

    ThreadPerConnectionServer(Duration delay) {
        this.delay = delay;
        try {
            listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the server: " + e.getMessage(), e);
        }
        acceptor = Thread.ofVirtual().name("acceptor").start(this::accept);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread handler = Thread.ofVirtual().name("conversation").unstarted(() -> {
                    try {
                        converse(socket);
                    } finally {
                        handlers.remove(Thread.currentThread());
                    }
                });
                handlers.add(handler);
                handler.start();
            } catch (IOException closed) {
                // close() ends the loop
            }
        }
    }

    /** The whole conversation, top to bottom. */
    private void converse(Socket socket) {
        try (socket;
             var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line != null) {
                out.println(answer(line.strip()));
                answered.incrementAndGet();
            }
        } catch (IOException | InterruptedException ended) {
            // a client that went away, or close()
        }
    }

    /** The slow backend: waits, then answers. */
    private String answer(String line) throws InterruptedException {
        Thread.sleep(delay);
        return line.toUpperCase(Locale.ROOT);
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public String kind() {
        return "virtual threads";
    }

    @Override
    public int threads() {
        return handlers.size() + (acceptor.isAlive() ? 1 : 0);
    }

    @Override
    public int answered() {
        return answered.get();
    }

    /** How many conversations wait, and the stack of one of them, from the top down to the conversation. */
    @Override
    public String waiting() {
        var waiting = handlers.stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING).toList();
        if (waiting.isEmpty()) {
            return "no conversation is waiting";
        }
        Thread one = waiting.getFirst();
        StackTraceElement[] stack = one.getStackTrace();
        int last = 0;
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getMethodName().equals("converse")) {
                last = i;
            }
        }
        String frames = Arrays.stream(stack, 0, last + 1)
                .map(f -> "  " + f.getClassName().replaceAll(".*\\.", "") + "." + f.getMethodName())
                .collect(Collectors.joining("\n"));
        return String.format(Locale.ROOT, "%d conversations, each on a virtual thread of its own (%s); "
                + "one of them waits with this stack, %d frames down to the conversation:%n%s",
                waiting.size(), one, last + 1, frames);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        handlers.forEach(Thread::interrupt);
        try {
            acceptor.join(Duration.ofSeconds(5));
            for (Thread t : handlers) {
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ThreadPerConnectionServer[port=" + port() + ", answered=" + answered() + "]";
    }
}
