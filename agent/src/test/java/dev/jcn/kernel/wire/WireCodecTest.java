package dev.jcn.kernel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.spi.CommFrame;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private static final MimeBundle RICH = MimeBundle.of("text/html", "<b>€ 70</b>").with("text/plain", "é".repeat(70_000))
            .with("application/json", Map.of("n", 3L, "x", 0.5, "big", new BigDecimal("12345678901234567890.5"),
                    "list", Arrays.asList("a", null, true, List.of()), "nested", Map.of("k", false)))
            .withMetadata("image/png", Map.of("width", 640L, "height", 480L));

    /** One of every request: the test fails when a new one is not listed here. */
    private static final List<Request> REQUESTS = List.of(new Request.Execute(3, "int x = 1;\nx"),
            new Request.Complete("Math.ma", 7), new Request.Inspect("Math.max(", 9), new Request.CheckComplete("for (;;) {"),
            new Request.Interrupt(4), new Request.Force(4), new Request.ListThreads(), new Request.ListProcesses(),
            new Request.Stop("member-1"), new Request.AddClasspath(List.of("/a.jar", "/b")), new Request.CloseServices(500),
            new Request.Shutdown(), new Request.Input(5, "Ada", ""), new Request.Input(6, "", "no input here"),
            new Request.Comm(new CommFrame(CommFrame.Kind.MSG, "c1", "", Map.of("method", "update", "state", Map.of("value", 8L)),
                    Map.of(), List.of())), new Request.ListComms("jupyter.widget"),
            new Request.StopCommHandler(true),
            new Request.ThreadStacks(true),
            new Request.RenderVariable("table"), new Request.ListVariables());

    private static final List<Reply> REPLIES = List.of(new Reply.CellDone(RICH), new Reply.CellDone(null),
            new Reply.CellFailed("java.lang.IllegalStateException", "no", List.of("java.lang.IllegalStateException: no", "\tat boom(cell 3, line 2)")),
            new Reply.CellInterrupted(true), new Reply.Completions(List.of(new Reply.Candidate("max(", "max(int a, int b)", "method", "int max(int a, int b)"),
                    new Reply.Candidate("MAX_VALUE", "MAX_VALUE", "field", "")), 5),
            new Reply.Documentation("```java\nint max(int a, int b)\n```", "int max(int a, int b)"),
            new Reply.Completeness("incomplete"), new Reply.Forced(2, ""),
            new Reply.Threads(List.of(new Reply.ThreadRow("spinner", false, "RUNNABLE", 12_000_000, 3, "", true),
                    new Reply.ThreadRow("hz.1", true, "WAITING", -1, 0, "member-1", false))),
            new Reply.Processes(List.of(new Reply.ProcessRow(41_872, 41_000, "sleep 300", 3, 2))),
            new Reply.Stopped(List.of("member-1"), List.of("db did not finish closing in time"), List.of("spinner"), 1, 0, List.of(41_872L)),
            new Reply.ClasspathAdded(List.of("/gson-2.8.9.jar"), List.of("a note")), new Reply.Done(),
            new Reply.Failure("java.lang.IllegalStateException: broken", "trace\n\tat here"), new Reply.CommHandled(false),
            new Reply.Comms(Map.of("c1", "jupyter.widget", "c2", "my.target")),
            new Reply.ThreadStacks(List.of(new Reply.ThreadStack(31, "left", true, "BLOCKED", 4, "",
                    List.of("at REPL.$JShell$12.lambda$do_it$$0($JShell$12.java:4)", "- locked Object@1b6d3586"),
                    "Object@4554617c", 32, "right", List.of("Object@1b6d3586")))),
            new Reply.Rendered(RICH), new Reply.Rendered(null),
            new Reply.Variables(List.of(new Reply.VariableRow("n", "int", "42"), new Reply.VariableRow("s", "java.lang.String", "\"é\""))));

    private static final List<Event> EVENTS = List.of(new Event.Ready(true),
            new Event.Output(List.of(new Event.Chunk(3, "", "cell-3", false, "hello\n"), new Event.Chunk(0, "member-1", "hz.1", true, "warn\n"))),
            new Event.Display(3, RICH, "d-1", true), new Event.Clear(3, true), new Event.Exit(3, 2, "cell-2"), new Event.Log("a line"),
            new Event.InputWanted(5, 3, "your name? ", true),
            new Event.Comm(3, new CommFrame(CommFrame.Kind.OPEN, "c1", "jupyter.widget", Map.of("state", Map.of()),
                    Map.of("version", "2.1.0"), List.of())));

    @Test
    void everyRequestReadsBackEqual() throws Exception {
        assertThat(kinds(REQUESTS)).isEqualTo(permitted(Request.class));
        for (Request r : REQUESTS) {
            assertThat(WireCodec.decodeCall(WireCodec.encode(new Call(17, r)))).isEqualTo(new Call(17, r));
        }
    }

    @Test
    void everyReplyAndEventReadsBackEqual() throws Exception {
        assertThat(kinds(REPLIES)).isEqualTo(permitted(Reply.class));
        assertThat(kinds(EVENTS)).isEqualTo(permitted(Event.class));
        for (Reply r : REPLIES) {
            assertThat(WireCodec.decodeToKernel(WireCodec.encode(new Answer(9, r)))).isEqualTo(new Answer(9, r));
        }
        for (Event e : EVENTS) {
            assertThat(WireCodec.decodeToKernel(WireCodec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void jsonValuesKeepTheirOrderAndNumbersTheirValue() throws Exception {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2.5f);
        ordered.put("m", (short) 3);
        Event.Display sent = new Event.Display(1, MimeBundle.of("application/json", ordered), "d", false);
        Event.Display read = (Event.Display) WireCodec.decodeToKernel(WireCodec.encode(sent));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) read.bundle().data().get("application/json");
        assertThat(json.keySet()).containsExactly("z", "a", "m");
        assertThat(json).containsEntry("z", 1L).containsEntry("a", 2.5).containsEntry("m", 3L);
    }

    @Test
    void commBuffersTravelAsBytes() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        CommFrame sent = new CommFrame(CommFrame.Kind.MSG, "c7", "", Map.of("method", "update"), Map.of(),
                List.of(png, new byte[0]));
        CommFrame read = ((Event.Comm) WireCodec.decodeToKernel(WireCodec.encode(new Event.Comm(2, sent)))).frame();
        assertThat(read.buffers()).hasSize(2);
        assertThat(read.buffers().get(0)).isEqualTo(png);
        assertThat(read.buffers().get(1)).isEmpty();
        assertThat(read.data()).isEqualTo(sent.data());
        CommFrame back = ((Request.Comm) WireCodec.decodeCall(WireCodec.encode(new Call(3, new Request.Comm(sent)))).request()).frame();
        assertThat(back.buffers().get(0)).isEqualTo(png);
    }

    @Test
    void anUnknownRequestIsReportedWithItsIdSoThatItCanStillBeAnswered() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(42);
            out.writeByte(200);
        }
        assertThatThrownBy(() -> WireCodec.decodeCall(bytes.toByteArray()))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.id()).isEqualTo(42))
                .hasMessageContaining("unknown request (tag 200)");
    }

    @Test
    void aTruncatedFrameIsUnreadableNotAHugeAllocation() {
        byte[] frame = WireCodec.encode(new Call(5, new Request.Execute(1, "x".repeat(1000))));
        byte[] cut = Arrays.copyOf(frame, 20);
        assertThatThrownBy(() -> WireCodec.decodeCall(cut))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.id()).isEqualTo(5));
        assertThatThrownBy(() -> WireCodec.decodeToKernel(new byte[] {9}))
                .isInstanceOf(WireException.class).hasMessageContaining("unknown message kind 9");
    }

    private static Set<Class<?>> kinds(List<?> messages) {
        Set<Class<?>> kinds = new HashSet<>();
        messages.forEach(m -> kinds.add(m.getClass()));
        return kinds;
    }

    private static Set<Class<?>> permitted(Class<?> sealed) {
        return new HashSet<>(Arrays.asList(sealed.getPermittedSubclasses()));
    }
}
