package dev.jcn.kernel.wire;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec of the wire between the kernel and the agent: each {@link Call}, {@link Answer} and
 * {@link Event} as the bytes of one frame, and back.
 *
 * <pre>{@code
 * byte[] frame = WireCodec.encode(new Call(7, new Request.Complete("Math.ma", 7)));   // kernel
 * Call call = WireCodec.decodeCall(frame);                                             // agent
 * byte[] answer = WireCodec.encode(new Answer(call.id(), new Reply.Completions(List.of(new Reply.Candidate("max(", "max(int a, int b)", "method", "int max(int a, int b)")), 5)));
 * ToKernel back = WireCodec.decodeToKernel(answer);                                    // kernel
 * }</pre>
 *
 * <p>A frame is a tag byte that names the record, then its fields in declaration order: ints, longs
 * and booleans as {@link DataOutputStream} writes them, strings as a length and their UTF-8 bytes
 * (no 64 KB limit), lists as a count and their elements, JSON values (of a {@link MimeBundle}) with a
 * type byte each. A call starts with its id, an answer with a marker and the id it answers. Both
 * ends run the same classes, so the format needs no versions; a tag the reader does not know is
 * reported as a {@link WireException} that keeps the id, so the sender still gets an answer.
 */
public final class WireCodec {

    private static final byte ANSWER = 1;
    private static final byte EVENT = 2;

    private WireCodec() {}

    /** The frame of a request to the agent. */
    public static byte[] encode(Call call) {
        return write(out -> {
            out.writeLong(call.id());
            switch (call.request()) {
                case Request.Execute r -> {
                    out.writeByte(1);
                    out.writeInt(r.cell());
                    string(out, r.code());
                }
                case Request.Complete r -> {
                    out.writeByte(2);
                    string(out, r.code());
                    out.writeInt(r.cursor());
                }
                case Request.Inspect r -> {
                    out.writeByte(3);
                    string(out, r.code());
                    out.writeInt(r.cursor());
                }
                case Request.CheckComplete r -> {
                    out.writeByte(4);
                    string(out, r.code());
                }
                case Request.Interrupt r -> {
                    out.writeByte(5);
                    out.writeInt(r.cell());
                }
                case Request.Force r -> {
                    out.writeByte(6);
                    out.writeInt(r.cell());
                }
                case Request.ListThreads r -> out.writeByte(7);
                case Request.ListProcesses r -> out.writeByte(8);
                case Request.Stop r -> {
                    out.writeByte(9);
                    string(out, r.target());
                }
                case Request.AddClasspath r -> {
                    out.writeByte(10);
                    strings(out, r.entries());
                }
                case Request.CloseServices r -> {
                    out.writeByte(11);
                    out.writeLong(r.millis());
                }
                case Request.Shutdown r -> out.writeByte(12);
                case Request.Input r -> {
                    out.writeByte(13);
                    out.writeLong(r.input());
                    string(out, r.line());
                    string(out, r.refusal());
                }
                case Request.Comm r -> {
                    out.writeByte(14);
                    comm(out, r.frame());
                }
                case Request.ListComms r -> {
                    out.writeByte(15);
                    string(out, r.target());
                }
                case Request.StopCommHandler r -> {
                    out.writeByte(16);
                    out.writeBoolean(r.force());
                }
                case Request.ListVariables r -> out.writeByte(41);
                case Request.ThreadStacks r -> {
                    out.writeByte(30);
                    out.writeBoolean(r.stacks());
                }
                case Request.RenderVariable r -> {
                    out.writeByte(40);
                    string(out, r.name());
                }
            }
        });
    }

    /** The request in a frame from the kernel. */
    public static Call decodeCall(byte[] frame) throws WireException {
        DataInputStream in = reader(frame);
        long id = -1;
        try {
            id = in.readLong();
            int tag = in.readUnsignedByte();
            Request request = switch (tag) {
                case 1 -> new Request.Execute(in.readInt(), string(in));
                case 2 -> new Request.Complete(string(in), in.readInt());
                case 3 -> new Request.Inspect(string(in), in.readInt());
                case 4 -> new Request.CheckComplete(string(in));
                case 5 -> new Request.Interrupt(in.readInt());
                case 6 -> new Request.Force(in.readInt());
                case 7 -> new Request.ListThreads();
                case 8 -> new Request.ListProcesses();
                case 9 -> new Request.Stop(string(in));
                case 10 -> new Request.AddClasspath(strings(in));
                case 11 -> new Request.CloseServices(in.readLong());
                case 12 -> new Request.Shutdown();
                case 13 -> new Request.Input(in.readLong(), string(in), string(in));
                case 14 -> new Request.Comm(comm(in));
                case 15 -> new Request.ListComms(string(in));
                case 16 -> new Request.StopCommHandler(in.readBoolean());
                case 30 -> new Request.ThreadStacks(in.readBoolean());
                case 40 -> new Request.RenderVariable(string(in));
                case 41 -> new Request.ListVariables();
                default -> throw new WireException(id, "unknown request (tag " + tag + ")");
            };
            return new Call(id, request);
        } catch (IOException | RuntimeException e) {
            throw unreadable(id, "request", e);
        }
    }

    /** The frame of an answer or an event to the kernel. */
    public static byte[] encode(ToKernel message) {
        return write(out -> {
            switch (message) {
                case Answer a -> {
                    out.writeByte(ANSWER);
                    out.writeLong(a.id());
                    reply(out, a.reply());
                }
                case Event e -> {
                    out.writeByte(EVENT);
                    event(out, e);
                }
            }
        });
    }

    /** The answer or event in a frame from the agent. */
    public static ToKernel decodeToKernel(byte[] frame) throws WireException {
        DataInputStream in = reader(frame);
        long id = -1;
        try {
            int kind = in.readUnsignedByte();
            if (kind == ANSWER) {
                id = in.readLong();
                return new Answer(id, reply(in, id));
            }
            if (kind == EVENT) {
                return event(in);
            }
            throw new WireException(-1, "unknown message kind " + kind);
        } catch (IOException | RuntimeException e) {
            throw unreadable(id, "answer or event", e);
        }
    }

    private static void reply(DataOutputStream out, Reply reply) throws IOException {
        switch (reply) {
            case Reply.CellDone r -> {
                out.writeByte(1);
                out.writeBoolean(r.value() != null);
                if (r.value() != null) {
                    bundle(out, r.value());
                }
            }
            case Reply.CellFailed r -> {
                out.writeByte(2);
                string(out, r.ename());
                string(out, r.evalue());
                strings(out, r.traceback());
            }
            case Reply.CellInterrupted r -> {
                out.writeByte(3);
                out.writeBoolean(r.forced());
            }
            case Reply.Completions r -> {
                out.writeByte(4);
                out.writeInt(r.candidates().size());
                for (Reply.Candidate c : r.candidates()) {
                    string(out, c.text());
                    string(out, c.label());
                    string(out, c.kind());
                    string(out, c.signature());
                }
                out.writeInt(r.start());
            }
            case Reply.Rendered r -> {
                out.writeByte(40);
                out.writeBoolean(r.bundle() != null);
                if (r.bundle() != null) {
                    bundle(out, r.bundle());
                }
            }
            case Reply.Variables r -> {
                out.writeByte(41);
                out.writeInt(r.rows().size());
                for (Reply.VariableRow row : r.rows()) {
                    string(out, row.name());
                    string(out, row.type());
                    string(out, row.value());
                }
            }
            case Reply.Documentation r -> {
                out.writeByte(5);
                string(out, r.markdown());
                string(out, r.plain());
            }
            case Reply.Completeness r -> {
                out.writeByte(6);
                string(out, r.status());
            }
            case Reply.Forced r -> {
                out.writeByte(7);
                out.writeInt(r.threads());
                string(out, r.problem());
            }
            case Reply.Threads r -> {
                out.writeByte(8);
                out.writeInt(r.rows().size());
                for (Reply.ThreadRow row : r.rows()) {
                    string(out, row.name());
                    out.writeBoolean(row.virtual());
                    string(out, row.state());
                    out.writeLong(row.cpuNanos());
                    out.writeInt(row.cell());
                    string(out, row.service());
                    out.writeBoolean(row.runsCell());
                }
            }
            case Reply.Processes r -> {
                out.writeByte(9);
                out.writeInt(r.rows().size());
                for (Reply.ProcessRow row : r.rows()) {
                    out.writeLong(row.pid());
                    out.writeLong(row.parent());
                    string(out, row.command());
                    out.writeLong(row.cpuMillis());
                    out.writeInt(row.cell());
                }
            }
            case Reply.Stopped r -> {
                out.writeByte(10);
                strings(out, r.services());
                strings(out, r.problems());
                strings(out, r.threads());
                out.writeInt(r.forced());
                out.writeInt(r.alive());
                out.writeInt(r.pids().size());
                for (long pid : r.pids()) {
                    out.writeLong(pid);
                }
            }
            case Reply.ClasspathAdded r -> {
                out.writeByte(11);
                strings(out, r.added());
                strings(out, r.notes());
            }
            case Reply.Done r -> out.writeByte(12);
            case Reply.CommHandled r -> {
                out.writeByte(14);
                out.writeBoolean(r.known());
            }
            case Reply.Comms r -> {
                out.writeByte(15);
                json(out, r.comms());
            }
            case Reply.ThreadStacks r -> {
                out.writeByte(30);
                out.writeInt(r.threads().size());
                for (Reply.ThreadStack t : r.threads()) {
                    out.writeLong(t.id());
                    string(out, t.name());
                    out.writeBoolean(t.virtual());
                    string(out, t.state());
                    out.writeInt(t.cell());
                    string(out, t.service());
                    strings(out, t.stack());
                    string(out, t.waitsFor());
                    out.writeLong(t.holderId());
                    string(out, t.holder());
                    strings(out, t.holds());
                }
            }
            case Reply.Failure r -> {
                out.writeByte(13);
                string(out, r.message());
                string(out, r.trace());
            }
        }
    }

    private static Reply reply(DataInputStream in, long id) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Reply.CellDone(in.readBoolean() ? bundle(in) : null);
            case 2 -> new Reply.CellFailed(string(in), string(in), strings(in));
            case 3 -> new Reply.CellInterrupted(in.readBoolean());
            case 4 -> {
                int n = count(in);
                List<Reply.Candidate> candidates = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    candidates.add(new Reply.Candidate(string(in), string(in), string(in), string(in)));
                }
                yield new Reply.Completions(candidates, in.readInt());
            }
            case 5 -> new Reply.Documentation(string(in), string(in));
            case 40 -> new Reply.Rendered(in.readBoolean() ? bundle(in) : null);
            case 41 -> {
                int n = in.readInt();
                List<Reply.VariableRow> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(new Reply.VariableRow(string(in), string(in), string(in)));
                }
                yield new Reply.Variables(rows);
            }
            case 6 -> new Reply.Completeness(string(in));
            case 7 -> new Reply.Forced(in.readInt(), string(in));
            case 8 -> {
                int n = count(in);
                List<Reply.ThreadRow> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(new Reply.ThreadRow(string(in), in.readBoolean(), string(in), in.readLong(), in.readInt(),
                            string(in), in.readBoolean()));
                }
                yield new Reply.Threads(rows);
            }
            case 9 -> {
                int n = count(in);
                List<Reply.ProcessRow> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(new Reply.ProcessRow(in.readLong(), in.readLong(), string(in), in.readLong(), in.readInt()));
                }
                yield new Reply.Processes(rows);
            }
            case 10 -> {
                List<String> services = strings(in);
                List<String> problems = strings(in);
                List<String> threads = strings(in);
                int forced = in.readInt();
                int alive = in.readInt();
                int n = count(in);
                List<Long> pids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pids.add(in.readLong());
                }
                yield new Reply.Stopped(services, problems, threads, forced, alive, pids);
            }
            case 11 -> new Reply.ClasspathAdded(strings(in), strings(in));
            case 12 -> new Reply.Done();
            case 13 -> new Reply.Failure(string(in), string(in));
            case 14 -> new Reply.CommHandled(in.readBoolean());
            case 15 -> {
                Map<String, String> comms = new LinkedHashMap<>();
                ((Map<?, ?>) json(in)).forEach((k, v) -> comms.put((String) k, (String) v));
                yield new Reply.Comms(comms);
            }
            case 30 -> {
                int n = count(in);
                List<Reply.ThreadStack> threads = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    threads.add(new Reply.ThreadStack(in.readLong(), string(in), in.readBoolean(), string(in), in.readInt(),
                            string(in), strings(in), string(in), in.readLong(), string(in), strings(in)));
                }
                yield new Reply.ThreadStacks(threads);
            }
            default -> throw new WireException(id, "unknown reply (tag " + tag + ")");
        };
    }

    private static void event(DataOutputStream out, Event event) throws IOException {
        switch (event) {
            case Event.Ready e -> {
                out.writeByte(1);
                out.writeBoolean(e.classDataShared());
            }
            case Event.Output e -> {
                out.writeByte(2);
                out.writeInt(e.chunks().size());
                for (Event.Chunk c : e.chunks()) {
                    out.writeInt(c.cell());
                    string(out, c.service());
                    string(out, c.thread());
                    out.writeBoolean(c.stderr());
                    string(out, c.text());
                }
            }
            case Event.Display e -> {
                out.writeByte(3);
                out.writeInt(e.cell());
                bundle(out, e.bundle());
                string(out, e.displayId());
                out.writeBoolean(e.update());
            }
            case Event.Clear e -> {
                out.writeByte(4);
                out.writeInt(e.cell());
                out.writeBoolean(e.await());
            }
            case Event.Exit e -> {
                out.writeByte(5);
                out.writeInt(e.status());
                out.writeInt(e.cell());
                string(out, e.thread());
            }
            case Event.Log e -> {
                out.writeByte(6);
                string(out, e.text());
            }
            case Event.Comm e -> {
                out.writeByte(8);
                out.writeInt(e.cell());
                comm(out, e.frame());
            }
            case Event.InputWanted e -> {
                out.writeByte(7);
                out.writeLong(e.input());
                out.writeInt(e.cell());
                string(out, e.prompt());
                out.writeBoolean(e.password());
            }
        }
    }

    private static Event event(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Event.Ready(in.readBoolean());
            case 2 -> {
                int n = count(in);
                List<Event.Chunk> chunks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    chunks.add(new Event.Chunk(in.readInt(), string(in), string(in), in.readBoolean(), string(in)));
                }
                yield new Event.Output(chunks);
            }
            case 3 -> new Event.Display(in.readInt(), bundle(in), string(in), in.readBoolean());
            case 4 -> new Event.Clear(in.readInt(), in.readBoolean());
            case 5 -> new Event.Exit(in.readInt(), in.readInt(), string(in));
            case 6 -> new Event.Log(string(in));
            case 7 -> new Event.InputWanted(in.readLong(), in.readInt(), string(in), in.readBoolean());
            case 8 -> new Event.Comm(in.readInt(), comm(in));
            default -> throw new WireException(-1, "unknown event (tag " + tag + ")");
        };
    }

    // ---- fields ----

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] bytes = new byte[count(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            string(out, s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = count(in);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(string(in));
        }
        return list;
    }

    /** A length or count, checked against what the frame can still hold. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a count of " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }

    private static void comm(DataOutputStream out, CommFrame frame) throws IOException {
        out.writeByte(frame.kind().ordinal());
        string(out, frame.commId());
        string(out, frame.target());
        json(out, frame.data());
        json(out, frame.metadata());
        out.writeInt(frame.buffers().size());
        for (byte[] b : frame.buffers()) {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    @SuppressWarnings("unchecked")
    private static CommFrame comm(DataInputStream in) throws IOException {
        CommFrame.Kind kind = CommFrame.Kind.values()[in.readUnsignedByte()];
        String id = string(in);
        String target = string(in);
        Map<String, Object> data = (Map<String, Object>) json(in);
        Map<String, Object> metadata = (Map<String, Object>) json(in);
        int n = count(in);
        List<byte[]> buffers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[count(in)];
            in.readFully(b);
            buffers.add(b);
        }
        return new CommFrame(kind, id, target, data, metadata, buffers);
    }

    private static void bundle(DataOutputStream out, MimeBundle bundle) throws IOException {
        json(out, bundle.data());
        json(out, bundle.metadata());
    }

    @SuppressWarnings("unchecked")
    private static MimeBundle bundle(DataInputStream in) throws IOException {
        return new MimeBundle((Map<String, Object>) json(in), (Map<String, Object>) json(in));
    }

    // The JSON value types of a MimeBundle, one byte each.
    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte DECIMAL = 5;
    private static final byte STRING = 6;
    private static final byte LIST = 7;
    private static final byte MAP = 8;

    private static void json(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case Long n -> {
                out.writeByte(LONG);
                out.writeLong(n);
            }
            case Integer n -> {
                out.writeByte(LONG);
                out.writeLong(n);
            }
            case Short n -> {
                out.writeByte(LONG);
                out.writeLong(n);
            }
            case Byte n -> {
                out.writeByte(LONG);
                out.writeLong(n);
            }
            case Double n -> {
                out.writeByte(DOUBLE);
                out.writeDouble(n);
            }
            case Float n -> {
                out.writeByte(DOUBLE);
                out.writeDouble(n);
            }
            case Number n -> {
                out.writeByte(DECIMAL);
                string(out, n instanceof BigInteger || n instanceof BigDecimal ? n.toString() : new BigDecimal(n.toString()).toString());
            }
            case String s -> {
                out.writeByte(STRING);
                string(out, s);
            }
            case List<?> list -> {
                out.writeByte(LIST);
                out.writeInt(list.size());
                for (Object o : list) {
                    json(out, o);
                }
            }
            case Map<?, ?> map -> {
                out.writeByte(MAP);
                out.writeInt(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    string(out, (String) e.getKey());
                    json(out, e.getValue());
                }
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static Object json(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        return switch (type) {
            case NULL -> null;
            case FALSE -> false;
            case TRUE -> true;
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case DECIMAL -> new BigDecimal(string(in));
            case STRING -> string(in);
            case LIST -> {
                int n = count(in);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(json(in));
                }
                yield list;
            }
            case MAP -> {
                int n = count(in);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(string(in), json(in));
                }
                yield map;
            }
            default -> throw new IOException("unknown JSON value type " + type);
        };
    }

    // ---- frames ----

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static DataInputStream reader(byte[] frame) {
        return new DataInputStream(new ByteArrayInputStream(frame));
    }

    private static WireException unreadable(long id, String what, Exception e) {
        if (e instanceof WireException w) {
            return w;
        }
        return new WireException(id, "unreadable " + what + ": " + e);
    }
}
