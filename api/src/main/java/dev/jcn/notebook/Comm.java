package dev.jcn.notebook;

import dev.jcn.notebook.spi.CommFrame;
import dev.jcn.notebook.spi.Host;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A comm: a channel of JSON messages (with optional binary buffers) between code in the notebook and
 * code in the frontend, as Jupyter's comm messages define it. Widgets are built on comms; a cell can
 * use them directly for a frontend extension of its own.
 *
 * <pre>{@code
 * Comm.registerTarget("my.target", (comm, open) -> comm.onMessage(m -> comm.send(Map.of("echo", m.data()))));
 * Comm c = Comm.open("frontend.target", Map.of("hello", 1));   // the frontend's target gets comm_open
 * c.onMessage(m -> System.out.println("frontend said " + m.data()));
 * c.close();
 * }</pre>
 *
 * <p>Handlers run in the notebook's JVM on a thread of the kernel's choosing, one message at a time,
 * in the order the frontend sent them. What they print goes to the cell that opened the comm (or
 * registered the target). Outside a kernel, messages go nowhere.
 */
public final class Comm {

    private static final Map<String, BiConsumer<Comm, CommFrame>> TARGETS = new ConcurrentHashMap<>();
    private static final Map<String, Comm> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final String target;
    private final List<Consumer<CommFrame>> onMessage = new CopyOnWriteArrayList<>();
    private final List<Consumer<CommFrame>> onClose = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    private Comm(String id, String target) {
        this.id = id;
        this.target = target;
    }

    /** Opens a comm to the frontend's {@code target}. */
    public static Comm open(String target, Map<String, Object> data) {
        return open(target, data, Map.of(), List.of());
    }

    /** Opens a comm to the frontend's {@code target}, with metadata and binary buffers. */
    public static Comm open(String target, Map<String, Object> data, Map<String, Object> metadata, List<byte[]> buffers) {
        requireText(target, "target");
        Comm comm = new Comm(UUID.randomUUID().toString().replace("-", ""), target);
        OPEN.put(comm.id, comm);
        Host.current().sendComm(new CommFrame(CommFrame.Kind.OPEN, comm.id, target, data, metadata, buffers));
        return comm;
    }

    /**
     * Lets the frontend open comms to {@code target}; {@code onOpen} gets each new comm and the open
     * message. Registering a target again replaces its handler.
     */
    public static void registerTarget(String target, BiConsumer<Comm, CommFrame> onOpen) {
        requireText(target, "target");
        TARGETS.put(target, Objects.requireNonNull(onOpen, "onOpen"));
    }

    /** Frontends can no longer open comms to {@code target}; comms already open stay open. */
    public static void unregisterTarget(String target) {
        TARGETS.remove(target);
    }

    public String id() {
        return id;
    }

    public String target() {
        return target;
    }

    public boolean isOpen() {
        return open;
    }

    /** Calls {@code listener} with each message the frontend sends on this comm; returns this comm. */
    public Comm onMessage(Consumer<CommFrame> listener) {
        onMessage.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Calls {@code listener} when the frontend closes this comm; returns this comm. */
    public Comm onClose(Consumer<CommFrame> listener) {
        onClose.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Sends {@code data} to the frontend's end of this comm. */
    public void send(Map<String, Object> data) {
        send(data, Map.of(), List.of());
    }

    /** Sends {@code data}, with metadata and binary buffers; nothing once the comm is closed. */
    public void send(Map<String, Object> data, Map<String, Object> metadata, List<byte[]> buffers) {
        if (open) {
            Host.current().sendComm(new CommFrame(CommFrame.Kind.MSG, id, "", data, metadata, buffers));
        }
    }

    /** Closes this comm at both ends; later calls do nothing. */
    public void close() {
        close(Map.of());
    }

    /** Closes this comm with {@code data} for the frontend's close handler. */
    public void close(Map<String, Object> data) {
        if (OPEN.remove(id, this)) {
            open = false;
            Host.current().sendComm(new CommFrame(CommFrame.Kind.CLOSE, id, "", data, Map.of(), List.of()));
        }
    }

    /**
     * For the kernel: hands a message from the frontend to its target or comm and runs their handlers
     * on the calling thread. Returns false when there is no such target (an open) or comm.
     */
    public static boolean deliver(CommFrame frame) {
        return switch (frame.kind()) {
            case OPEN -> {
                BiConsumer<Comm, CommFrame> handler = TARGETS.get(frame.target());
                if (handler == null) {
                    yield false;
                }
                Comm comm = new Comm(frame.commId(), frame.target());
                OPEN.put(comm.id, comm);
                handler.accept(comm, frame);
                yield true;
            }
            case MSG -> {
                Comm comm = OPEN.get(frame.commId());
                if (comm == null) {
                    yield false;
                }
                comm.onMessage.forEach(l -> l.accept(frame));
                yield true;
            }
            case CLOSE -> {
                Comm comm = OPEN.remove(frame.commId());
                if (comm == null) {
                    yield false;
                }
                comm.open = false;
                comm.onClose.forEach(l -> l.accept(frame));
                yield true;
            }
        };
    }

    /** For the kernel (comm_info): the open comms, id to target, of {@code target} or of all when it is empty. */
    public static Map<String, String> openComms(String target) {
        Map<String, String> found = new LinkedHashMap<>();
        OPEN.values().stream().filter(c -> target == null || target.isEmpty() || c.target.equals(target))
                .forEach(c -> found.put(c.id, c.target));
        return found;
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("a comm needs a " + what);
        }
    }
}
