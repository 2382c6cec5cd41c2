package dev.jcn.kernel.agent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The link between the kernel and the agent in the user JVM: length-prefixed JSON frames over a
 * Unix domain socket.
 *
 * <pre>{@code
 * try (FrameChannel ch = new FrameChannel(socketChannel)) {
 *     ch.send(message);
 *     JsonObject reply = ch.receive();   // null at end of stream
 * }
 * }</pre>
 *
 * <p>{@link #send} may be called from any thread; {@link #receive} from one reader thread.
 */
public final class FrameChannel implements AutoCloseable {

    /** Large enough for a base64 chart, small enough that a corrupt length cannot exhaust memory. */
    private static final int MAX_FRAME = 256 << 20;

    private final SocketChannel socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();

    public FrameChannel(SocketChannel socket) {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(socket), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(socket), 1 << 16));
    }

    /** Writes one frame and flushes it. */
    public void send(JsonObject message) throws IOException {
        byte[] bytes = message.toString().getBytes(StandardCharsets.UTF_8);
        writeLock.lock();
        try {
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads one frame; returns null when the other side closed the connection. */
    public JsonObject receive() throws IOException {
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
        return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may already be gone
        }
    }
}
