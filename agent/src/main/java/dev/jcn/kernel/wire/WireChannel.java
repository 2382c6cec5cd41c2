package dev.jcn.kernel.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The link between the kernel and the agent in the user JVM: length-prefixed frames, made and read
 * by {@link WireCodec}, over a Unix domain socket.
 *
 * <pre>{@code
 * try (WireChannel ch = new WireChannel(socketChannel)) {
 *     ch.send(WireCodec.encode(call));
 *     byte[] frame = ch.receive();   // null at end of stream
 * }
 * }</pre>
 *
 * <p>{@link #send} may be called from any thread, interrupted or not: frames are written by one
 * writer thread, because a blocking write on a socket channel by a thread that gets interrupted
 * closes the channel. Frames go out in the order they were sent. {@link #receive} is for one
 * reader thread.
 */
public final class WireChannel implements AutoCloseable {

    /** Large enough for a base64 chart, small enough that a corrupt length cannot exhaust memory. */
    private static final int MAX_FRAME = 256 << 20;

    private final SocketChannel socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** Frames waiting for the writer; bounded, so a flood blocks its senders instead of filling memory. */
    private final BlockingQueue<Frame> queue = new ArrayBlockingQueue<>(64);
    private final Thread writer;
    private volatile IOException failure;

    private record Frame(byte[] bytes, CountDownLatch written) {}

    public WireChannel(SocketChannel socket) {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(socket), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(socket), 1 << 16));
        this.writer = Thread.ofPlatform().daemon().name("wire-writer").start(this::writeLoop);
    }

    /** Queues one frame; throws only if the connection already failed. */
    public void send(byte[] frame) throws IOException {
        enqueue(new Frame(frame, null));
    }

    /** Queues one frame and waits (at most {@code millis}) until it has been written. */
    public void sendAndWait(byte[] frame, long millis) throws IOException {
        Frame f = new Frame(frame, new CountDownLatch(1));
        enqueue(f);
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            try {
                f.written().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Frame f) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    if (queue.offer(f, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                Frame f = queue.take();
                out.writeInt(f.bytes().length);
                out.write(f.bytes());
                if (queue.isEmpty()) {
                    out.flush();
                }
                if (f.written() != null) {
                    out.flush();
                    f.written().countDown();
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new IOException("channel closed");
        }
        Frame f;
        while ((f = queue.poll()) != null) {
            if (f.written() != null) {
                f.written().countDown();
            }
        }
    }

    /** Reads one frame; returns null when the other side closed the connection. */
    public byte[] receive() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public void close() {
        writer.interrupt();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may already be gone
        }
    }
}
