package dev.jcn.helpers.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LineServer} on one thread with a {@link Selector}: an event loop. Nothing on the loop may block, so a
 * conversation cannot wait where it is in the code; its progress is a {@link Conversation} object that the loop
 * moves from step to step as bytes arrive, as its answer falls due, and as the answer is written.
 */
final class EventLoopServer implements LineServer {

    /** Where a conversation is: what an asyncio coroutine object remembers, written out by hand. */
    enum Step { READING, WAITING, WRITING }

    /** One connection's state, all of it: the event loop keeps nothing on its stack between events. */
    static final class Conversation {
        Step step = Step.READING;
        final ByteBuffer in = ByteBuffer.allocate(256);
        String line = "";
        long answerAt;
        ByteBuffer out;

        String describe(long now) {
            return switch (step) {
                case READING -> "Conversation[step=READING, bytes so far=" + in.position() + "]";
                case WAITING -> String.format(Locale.ROOT, "Conversation[step=WAITING, line=%s, answer in %d ms]",
                        line, Math.max(0, (answerAt - now) / 1_000_000));
                case WRITING -> "Conversation[step=WRITING, bytes left=" + out.remaining() + "]";
            };
        }
    }

    private final long delayNanos;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread loop;
    private final List<SelectionKey> waiting = new ArrayList<>();
    private final ConcurrentLinkedQueue<CompletableFuture<String>> inspections = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();

    EventLoopServer(Duration delay) {
        this.delayNanos = delay.toNanos();
        try {
            selector = Selector.open();
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's server: " + e.getMessage(), e);
        }
        loop = Thread.ofPlatform().name("event-loop").daemon(true).start(this::run);
    }

    @Override
    public int port() {
        return listener.socket().getLocalPort();
    }

    @Override
    public String kind() {
        return "event loop";
    }

    @Override
    public int threads() {
        return loop.isAlive() ? 1 : 0;
    }

    @Override
    public int answered() {
        return answered.get();
    }

    /** Asks the loop itself to describe its conversations (between two events), waiting at most 10 s. */
    @Override
    public String waiting() {
        var answer = new CompletableFuture<String>();
        inspections.add(answer);
        selector.wakeup();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return "the event loop did not answer: " + e;
        }
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select(this::ready, timeout());
                answerDue();
                for (CompletableFuture<String> inspection; (inspection = inspections.poll()) != null; ) {
                    inspection.complete(describe());
                }
            }
        } catch (ClosedSelectorException | IOException closed) {
            // close() ends the loop
        }
    }

    /** How long the loop may sleep in select(): until the earliest answer falls due (0 = no limit). */
    private long timeout() {
        long now = System.nanoTime();
        long next = waiting.stream().mapToLong(k -> ((Conversation) k.attachment()).answerAt).min().orElse(0);
        return next == 0 ? 0 : Math.max(1, (next - now) / 1_000_000 + 1);
    }

    private void ready(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel channel = listener.accept();
                if (channel != null) {
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, new Conversation());
                }
            } else if (key.isReadable()) {
                read(key);
            } else if (key.isWritable()) {
                write(key);
            }
        } catch (IOException e) {
            end(key);
        }
    }

    private void read(SelectionKey key) throws IOException {
        var c = (Conversation) key.attachment();
        int n = ((SocketChannel) key.channel()).read(c.in);
        String text = new String(c.in.array(), 0, c.in.position(), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            c.line = text.substring(0, newline).strip();
            c.step = Step.WAITING;
            c.answerAt = System.nanoTime() + delayNanos;
            key.interestOps(0);
            waiting.add(key);
        } else if (n < 0 || !c.in.hasRemaining()) {
            end(key);
        }
    }

    private void answerDue() {
        long now = System.nanoTime();
        for (var it = waiting.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            var c = (Conversation) key.attachment();
            if (c.answerAt <= now) {
                it.remove();
                c.step = Step.WRITING;
                c.out = ByteBuffer.wrap((c.line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            }
        }
    }

    private void write(SelectionKey key) throws IOException {
        var c = (Conversation) key.attachment();
        ((SocketChannel) key.channel()).write(c.out);
        if (!c.out.hasRemaining()) {
            answered.incrementAndGet();
            end(key);
        }
    }

    private void end(SelectionKey key) {
        waiting.remove(key);
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private String describe() {
        long now = System.nanoTime();
        List<Conversation> all = selector.keys().stream().map(SelectionKey::attachment)
                .filter(Conversation.class::isInstance).map(Conversation.class::cast).toList();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d conversations, all on thread %s; each is an object the loop keeps:%n", all.size(),
                loop.getName()));
        all.stream().limit(3).forEach(c -> sb.append("  ").append(c.describe(now)).append('\n'));
        if (all.size() > 3) {
            sb.append("  ...\n");
        }
        return sb.toString().stripTrailing();
    }

    @Override
    public void close() {
        try {
            selector.close();
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        selector.wakeup();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventLoopServer[port=" + port() + ", answered=" + answered() + "]";
    }
}
