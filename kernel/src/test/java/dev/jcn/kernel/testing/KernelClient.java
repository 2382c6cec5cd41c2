package dev.jcn.kernel.testing;

import com.google.gson.JsonObject;
import dev.jcn.kernel.protocol.ConnectionInfo;
import dev.jcn.kernel.protocol.InvalidMessageException;
import dev.jcn.kernel.protocol.Message;
import dev.jcn.kernel.protocol.MessageCodec;
import dev.jcn.kernel.protocol.MessageSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A minimal Jupyter client over real ZeroMQ sockets, for protocol tests: sends signed requests on
 * shell and control, reads replies and IOPub messages with bounded waits.
 *
 * <pre>{@code
 * try (KernelClient c = new KernelClient(info)) {
 *     String id = c.shell("kernel_info_request", new JsonObject());
 *     Message reply = c.shellReply(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class KernelClient implements AutoCloseable {

    private final ZContext context = new ZContext();
    private final MessageCodec codec;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket hb;

    /** Connects to every socket of {@code info}; the IOPub subscription is live once this returns. */
    public KernelClient(ConnectionInfo info) {
        this.codec = new MessageCodec(new MessageSigner(info.key()));
        shell = connect(SocketType.DEALER, info.address(info.shellPort()));
        control = connect(SocketType.DEALER, info.address(info.controlPort()));
        hb = connect(SocketType.REQ, info.address(info.hbPort()));
        iopub = connect(SocketType.SUB, info.address(info.iopubPort()));
        iopub.subscribe(new byte[0]);
    }

    private ZMQ.Socket connect(SocketType type, String address) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(0);
        s.connect(address);
        return s;
    }

    public MessageCodec codec() {
        return codec;
    }

    /** Sends a request on shell; returns its msg_id. */
    public String shell(String type, JsonObject content) {
        return send(shell, type, content);
    }

    /** Sends a request on control; returns its msg_id. */
    public String control(String type, JsonObject content) {
        return send(control, type, content);
    }

    /** Sends raw frames on shell (for malformed and forged messages). */
    public void shellRaw(List<byte[]> frames) {
        sendFrames(shell, frames);
    }

    /** A signed request message with a fresh header, not yet sent. */
    public Message request(String type, JsonObject content) {
        return new Message(List.of(), codec.header(type), new JsonObject(), new JsonObject(), content, List.of());
    }

    private String send(ZMQ.Socket socket, String type, JsonObject content) {
        Message m = request(type, content);
        sendFrames(socket, codec.encode(m));
        return m.id();
    }

    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The next shell reply, or an AssertionError after {@code timeout}. */
    public Message shellReply(Duration timeout) {
        return receive(shell, timeout, "shell reply");
    }

    /** The next control reply, or an AssertionError after {@code timeout}. */
    public Message controlReply(Duration timeout) {
        return receive(control, timeout, "control reply");
    }

    /** The next IOPub message, or an AssertionError after {@code timeout}. */
    public Message iopub(Duration timeout) {
        return receive(iopub, timeout, "iopub message");
    }

    /** The next shell reply within {@code timeout}, or null if none arrives. */
    public Message shellReplyOrNull(Duration timeout) {
        return receiveOrNull(shell, timeout);
    }

    /** IOPub messages whose parent is {@code msgId}, up to and including its idle status. */
    public List<Message> iopubUntilIdle(String msgId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> out = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no idle status for " + msgId + " within " + timeout + "; got " + types(out));
            }
            Message m = iopub(Duration.ofNanos(left));
            if (!msgId.equals(parentId(m))) {
                continue;
            }
            out.add(m);
            if (m.type().equals("status") && m.content().get("execution_state").getAsString().equals("idle")) {
                return out;
            }
        }
    }

    /**
     * Waits until IOPub delivers: a SUB socket misses what is published before its subscription
     * reaches the kernel, so kernel_info requests are sent until one's status message arrives.
     */
    public void awaitIopub(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            shell("kernel_info_request", new JsonObject());
            shellReply(Duration.ofSeconds(5));
            if (receiveOrNull(iopub, Duration.ofMillis(100)) != null) {
                return;
            }
        }
        throw new AssertionError("IOPub delivered nothing within " + timeout);
    }

    /** Pings the heartbeat with one or more frames and checks the echo. */
    public boolean heartbeat(Duration timeout, byte[]... ping) {
        for (int i = 0; i < ping.length; i++) {
            hb.send(ping[i], i < ping.length - 1 ? ZMQ.SNDMORE : 0);
        }
        hb.setReceiveTimeOut((int) timeout.toMillis());
        for (byte[] frame : ping) {
            byte[] echo = hb.recv(0);
            if (echo == null || !java.util.Arrays.equals(echo, frame)) {
                return false;
            }
        }
        return !hb.hasReceiveMore();
    }

    public static String parentId(Message m) {
        return m.parentHeader().has("msg_id") ? m.parentHeader().get("msg_id").getAsString() : "";
    }

    public static List<String> types(List<Message> messages) {
        return messages.stream().map(Message::type).toList();
    }

    private Message receive(ZMQ.Socket socket, Duration timeout, String what) {
        Message m = receiveOrNull(socket, timeout);
        if (m == null) {
            throw new AssertionError("no " + what + " within " + timeout);
        }
        return m;
    }

    private Message receiveOrNull(ZMQ.Socket socket, Duration timeout) {
        socket.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        try {
            return codec.decode(frames);
        } catch (InvalidMessageException e) {
            throw new AssertionError("kernel sent an invalid message: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
