package dev.jcn.kernel.protocol;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * Echoes heartbeat pings on the REP socket, on its own thread, so a kernel busy with a cell
 * still looks alive to the frontend. The socket's owner closes the socket after this stops.
 *
 * <pre>{@code
 * try (Heartbeat hb = new Heartbeat(repSocket)) { ... }   // echoing until closed
 * }</pre>
 */
final class Heartbeat implements AutoCloseable {

    private static final int POLL_MILLIS = 50;
    private final ZMQ.Socket socket;
    private final Thread thread;
    private volatile boolean running = true;

    Heartbeat(ZMQ.Socket socket) {
        this.socket = socket;
        socket.setReceiveTimeOut(POLL_MILLIS);
        this.thread = Thread.ofPlatform().name("jcn-heartbeat").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            byte[] ping = socket.recv(0);
            if (ping == null) {
                continue;
            }
            // A REP socket must take every frame of a request before it may answer.
            List<byte[]> frames = new ArrayList<>(List.of(ping));
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            for (int i = 0; i < frames.size(); i++) {
                socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
