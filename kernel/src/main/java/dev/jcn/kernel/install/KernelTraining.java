package dev.jcn.kernel.install;

import com.google.gson.JsonObject;
import dev.jcn.kernel.Main;
import dev.jcn.kernel.protocol.ConnectionInfo;
import dev.jcn.kernel.protocol.InvalidMessageException;
import dev.jcn.kernel.protocol.Message;
import dev.jcn.kernel.protocol.MessageCodec;
import dev.jcn.kernel.protocol.MessageSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A kernel's start, run once by the installer with {@code -XX:AOTCacheOutput} so that the kernel's own
 * JVM gets a start-up cache: the kernel serves a connection file of its own while this class, in the same
 * JVM, asks it what a frontend asks first (kernel_info, a first cell {@code 1+1}) and then shuts it down,
 * which ends the JVM and writes the cache.
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=kernel.aot -cp KERNEL-CLASS-PATH dev.jcn.kernel.install.KernelTraining
 * }</pre>
 */
public final class KernelTraining {

    private static final Duration ANSWER = Duration.ofSeconds(60);

    private KernelTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jcn-kernel-training-");
        String key = UUID.randomUUID().toString();
        ConnectionInfo connection = ConnectionInfo.onFreeLoopbackPorts(key);
        Path file = dir.resolve("kernel-training.json");
        Files.writeString(file, connection.toJson(), StandardCharsets.UTF_8);
        // The kernel ends the JVM with System.exit: the connection file goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a leftover in the temporary folder
            }
        }, "training-files"));
        // The kernel ends this JVM (exit 0, which writes the cache) once it has shut down.
        Thread.ofPlatform().name("training-kernel").start(() -> Main.main(new String[] {file.toString()}));
        MessageCodec codec = new MessageCodec(new MessageSigner(key));
        try (ZContext context = new ZContext()) {
            ZMQ.Socket shell = connect(context, connection.shellPort());
            ZMQ.Socket control = connect(context, connection.controlPort());
            ask(codec, shell, "kernel_info_request", new JsonObject());
            JsonObject cell = new JsonObject();
            cell.addProperty("code", "1+1");
            cell.addProperty("silent", false);
            cell.addProperty("store_history", true);
            cell.add("user_expressions", new JsonObject());
            cell.addProperty("allow_stdin", false);
            cell.addProperty("stop_on_error", true);
            ask(codec, shell, "execute_request", cell);
            JsonObject shutdown = new JsonObject();
            shutdown.addProperty("restart", false);
            ask(codec, control, "shutdown_request", shutdown);
            Thread.sleep(ANSWER);
            System.err.println("the training kernel did not end after its shutdown request");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | InvalidMessageException e) {
            System.err.println("the training session failed: " + e);
        }
        System.exit(1);
    }

    private static ZMQ.Socket connect(ZContext context, int port) {
        ZMQ.Socket s = context.createSocket(SocketType.DEALER);
        s.setLinger(0);
        s.setReceiveTimeOut((int) ANSWER.toMillis());
        s.connect("tcp://127.0.0.1:" + port);
        return s;
    }

    /** Sends a request and waits for its reply; a training run without one fails. */
    private static void ask(MessageCodec codec, ZMQ.Socket socket, String type, JsonObject content) throws InvalidMessageException {
        Message request = new Message(List.of(), codec.header(type), new JsonObject(), new JsonObject(), content, List.of());
        List<byte[]> frames = codec.encode(request);
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        while (true) {
            List<byte[]> reply = new ArrayList<>();
            byte[] frame = socket.recv(0);
            if (frame == null) {
                throw new IllegalStateException("no reply to " + type + " within " + ANSWER);
            }
            reply.add(frame);
            while (socket.hasReceiveMore()) {
                reply.add(socket.recv(0));
            }
            Message m = codec.decode(reply);
            if (m.parentHeader().has("msg_id") && m.parentHeader().get("msg_id").getAsString().equals(request.id())) {
                return;
            }
        }
    }
}
