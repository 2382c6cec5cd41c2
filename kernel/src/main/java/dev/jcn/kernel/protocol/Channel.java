package dev.jcn.kernel.protocol;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * One bound ZeroMQ socket of the kernel, read by a single thread and written by any thread
 * (sends are serialised here, since ZeroMQ sockets are not thread-safe).
 *
 * <pre>{@code
 * List<byte[]> frames = shell.receive(100);   // null after 100 ms of silence
 * shell.send(codec.encode(reply));
 * }</pre>
 */
final class Channel {

    private final String name;
    private final ZMQ.Socket socket;
    private final Object sendLock = new Object();

    Channel(String name, ZMQ.Socket socket) {
        this.name = name;
        this.socket = socket;
    }

    String name() {
        return name;
    }

    /** The next multipart message, or null when none arrives within {@code timeoutMillis} (0: don't wait). */
    List<byte[]> receive(int timeoutMillis) {
        byte[] first = timeoutMillis == 0 ? socket.recv(ZMQ.DONTWAIT) : receiveWithin(timeoutMillis);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        // The rest of a multipart message is delivered atomically with its first frame.
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    private byte[] receiveWithin(int timeoutMillis) {
        socket.setReceiveTimeOut(timeoutMillis);
        return socket.recv(0);
    }

    /** The socket as an item of {@link ZMQ#poll}, readable when a message waits; for the reading thread. */
    ZMQ.PollItem pollItem() {
        return new ZMQ.PollItem(socket, ZMQ.Poller.POLLIN);
    }

    void send(List<byte[]> frames) {
        synchronized (sendLock) {
            int last = frames.size() - 1;
            for (int i = 0; i <= last; i++) {
                socket.send(frames.get(i), i < last ? ZMQ.SNDMORE : 0);
            }
        }
    }
}
