package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.jcn.kernel.testing.FakeInterpreter;
import dev.jcn.kernel.testing.KernelClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel over real ZeroMQ sockets, driven by a small client, with a fake interpreter. */
class KernelServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicReference<FakeInterpreter> fake = new AtomicReference<>();
    private KernelServer server;
    private KernelClient client;

    @BeforeEach
    void start() throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("test-key-123");
        server = KernelServer.start(info, events -> {
            FakeInterpreter in = new FakeInterpreter(events);
            fake.set(in);
            return in;
        });
        client = new KernelClient(info);
        client.awaitIopub(WAIT);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static JsonObject execute(String code) {
        JsonObject c = new JsonObject();
        c.addProperty("code", code);
        c.addProperty("silent", false);
        c.addProperty("store_history", true);
        c.add("user_expressions", new JsonObject());
        c.addProperty("allow_stdin", false);
        c.addProperty("stop_on_error", true);
        return c;
    }

    private static String text(List<Message> messages, String type) {
        StringBuilder b = new StringBuilder();
        messages.stream().filter(m -> m.type().equals(type)).forEach(m -> b.append(m.content().get("text").getAsString()));
        return b.toString();
    }

    @Test
    void kernelInfoReplyHasStatusLanguageAndAProperHeader() {
        String id = client.shell("kernel_info_request", new JsonObject());
        Message reply = client.shellReply(WAIT);

        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        assertThat(reply.type()).isEqualTo("kernel_info_reply");
        JsonObject c = reply.content();
        assertThat(c.get("status").getAsString()).isEqualTo("ok");
        assertThat(c.get("protocol_version").getAsString()).isEqualTo("5.3");
        JsonObject lang = c.getAsJsonObject("language_info");
        assertThat(lang.get("name").getAsString()).isEqualTo("java");
        assertThat(lang.get("version").getAsString()).isEqualTo("25");
        assertThat(lang.get("file_extension").getAsString()).isEqualTo(".java");
        assertThat(c.getAsJsonArray("help_links")).isNotEmpty();

        JsonObject h = reply.header();
        assertThat(h.get("username").getAsString()).isEqualTo(System.getProperty("user.name"));
        assertThat(h.get("version").getAsString()).isEqualTo("5.3");
        assertThat(h.get("date").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d");
        assertThat(OffsetDateTime.parse(h.get("date").getAsString())).isNotNull();
        assertThat(h.get("msg_id").getAsString()).matches("[0-9a-f-]{36}");
    }

    @Test
    void executePublishesBusyInputOutputResultIdleAndReplies() {
        String id = client.shell("execute_request", execute("out hello, world\nerr oops\n6*7"));
        Message reply = client.shellReply(WAIT);
        List<Message> iopub = client.iopubUntilIdle(id, WAIT);

        assertThat(reply.content().get("status").getAsString()).isEqualTo("ok");
        int count = reply.content().get("execution_count").getAsInt();
        assertThat(count).isEqualTo(1);
        assertThat(reply.content().getAsJsonObject("user_expressions").size()).isZero();
        List<String> types = KernelClient.types(iopub);
        assertThat(types.getFirst()).isEqualTo("status");
        assertThat(types.get(1)).isEqualTo("execute_input");
        assertThat(types).contains("stream", "execute_result").endsWith("status");
        assertThat(types.indexOf("execute_result")).isGreaterThan(types.lastIndexOf("stream"));
        List<Message> streams = iopub.stream().filter(m -> m.type().equals("stream")).toList();
        assertThat(streams).anySatisfy(m -> {
            assertThat(m.content().get("name").getAsString()).isEqualTo("stdout");
            assertThat(m.content().get("text").getAsString()).isEqualTo("hello, world\n");
        });
        assertThat(streams).anySatisfy(m -> assertThat(m.content().get("name").getAsString()).isEqualTo("stderr"));
        Message result = iopub.stream().filter(m -> m.type().equals("execute_result")).findFirst().orElseThrow();
        assertThat(result.content().getAsJsonObject("data").get("text/plain").getAsString()).isEqualTo("6*7");
        assertThat(result.content().get("execution_count").getAsInt()).isEqualTo(count);
    }

    @Test
    void silentCellsPublishNoInputNorResultAndDoNotCount() {
        String id = client.shell("execute_request", execute("1"));
        client.shellReply(WAIT);
        client.iopubUntilIdle(id, WAIT);
        JsonObject silent = execute("2");
        silent.addProperty("silent", true);
        String silentId = client.shell("execute_request", silent);
        Message reply = client.shellReply(WAIT);

        assertThat(KernelClient.types(client.iopubUntilIdle(silentId, WAIT))).containsExactly("status", "status");
        assertThat(reply.content().get("execution_count").getAsInt()).isEqualTo(1);
    }

    @Test
    void failingCellPublishesErrorAndRepliesError() {
        String id = client.shell("execute_request", execute("fail java.lang.ArithmeticException / by zero"));
        Message reply = client.shellReply(WAIT);
        List<Message> iopub = client.iopubUntilIdle(id, WAIT);

        assertThat(reply.content().get("status").getAsString()).isEqualTo("error");
        assertThat(reply.content().get("ename").getAsString()).isEqualTo("java.lang.ArithmeticException");
        List<Message> errors = iopub.stream().filter(m -> m.type().equals("error")).toList();
        assertThat(errors).singleElement()
                .satisfies(m -> assertThat(m.content().get("evalue").getAsString()).isEqualTo("/ by zero"));
    }

    @Test
    void errorAbortsTheExecuteRequestsQueuedBehindIt() {
        String blocker = client.shell("execute_request", execute("block"));
        String queued = client.shell("execute_request", execute("out never"));
        String history = client.shell("history_request", new JsonObject());
        awaitBlocking();
        Message answered = client.shellReply(WAIT); // a question: answered while the cell runs
        client.control("interrupt_request", new JsonObject());

        Message first = client.shellReply(WAIT);
        Message second = client.shellReply(WAIT);

        assertThat(KernelClient.parentId(answered)).isEqualTo(history);
        assertThat(KernelClient.parentId(first)).isEqualTo(blocker);
        assertThat(first.content().get("status").getAsString()).isEqualTo("error");
        assertThat(KernelClient.parentId(second)).isEqualTo(queued);
        assertThat(second.content().get("status").getAsString()).isEqualTo("aborted");
        assertThat(text(client.iopubUntilIdle(queued, WAIT), "stream")).isEmpty();
    }

    @Test
    void aRequestSentAfterTheErrorReplyRunsWhileTheQueuedOnesAreStillBeingAborted() {
        String blocker = client.shell("execute_request", execute("block"));
        awaitBlocking();
        for (int i = 0; i < 200; i++) {
            client.shell("execute_request", execute("out never " + i));
        }
        client.control("interrupt_request", new JsonObject());
        Message error = client.shellReply(WAIT);
        assertThat(KernelClient.parentId(error)).isEqualTo(blocker);
        // sent at once, while the kernel answers the 200 queued requests "aborted"
        String after = client.shell("execute_request", execute("out after"));

        List<String> statuses = new ArrayList<>();
        Message reply;
        do {
            reply = client.shellReply(WAIT);
            statuses.add(reply.content().get("status").getAsString());
        } while (!KernelClient.parentId(reply).equals(after));
        assertThat(statuses).as("the 200 queued requests are aborted, the one sent after the error runs")
                .hasSize(201).endsWith("ok").containsOnly("aborted", "ok");
        assertThat(text(client.iopubUntilIdle(after, WAIT), "stream")).isEqualTo("after\n");
    }

    @Test
    void questionsAreAnsweredWhileACellRunsAndOtherRequestsWaitInOrder() {
        String blocker = client.shell("execute_request", execute("block"));
        awaitBlocking();
        String next = client.shell("execute_request", execute("out second"));
        JsonObject complete = new JsonObject();
        complete.addProperty("code", "Thr");
        complete.addProperty("cursor_pos", 3);
        String completion = client.shell("complete_request", complete);
        JsonObject inspect = new JsonObject();
        inspect.addProperty("code", "Thread");
        inspect.addProperty("cursor_pos", 2);
        String inspection = client.shell("inspect_request", inspect);

        Message c = client.shellReply(WAIT);
        Message i = client.shellReply(WAIT);
        assertThat(KernelClient.parentId(c)).isEqualTo(completion);
        assertThat(c.content().getAsJsonArray("matches").asList()).extracting(e -> e.getAsString()).containsExactly("Thread", "ThreadLocal");
        assertThat(KernelClient.parentId(i)).isEqualTo(inspection);
        assertThat(client.shellReplyOrNull(Duration.ofMillis(300))).as("nothing else answers while the cell runs").isNull();
        // the question's idle is followed by the running cell's busy: a frontend still sees a busy kernel
        List<String> statuses = new ArrayList<>();
        while (statuses.lastIndexOf(blocker + " busy") < statuses.indexOf(completion + " idle")
                || !statuses.contains(completion + " idle")) {
            Message m = client.iopub(WAIT); // fails the test when no status comes within WAIT
            if (m.type().equals("status")) {
                statuses.add(KernelClient.parentId(m) + " " + m.content().get("execution_state").getAsString());
            }
        }
        assertThat(statuses).containsSubsequence(completion + " busy", completion + " idle", blocker + " busy");

        client.control("interrupt_request", new JsonObject());
        Message first = client.shellReply(WAIT);
        Message second = client.shellReply(WAIT);
        assertThat(KernelClient.parentId(first)).isEqualTo(blocker);
        assertThat(KernelClient.parentId(second)).isEqualTo(next);
        assertThat(second.content().get("status").getAsString()).isEqualTo("aborted");
    }

    private void awaitBlocking() {
        try {
            assertThat(fake.get().blocking.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void interruptOnControlStopsARunningCell() {
        String id = client.shell("execute_request", execute("block"));
        awaitBlocking();
        String interrupt = client.control("interrupt_request", new JsonObject());

        Message interruptReply = client.controlReply(WAIT);
        Message reply = client.shellReply(WAIT);

        assertThat(KernelClient.parentId(interruptReply)).isEqualTo(interrupt);
        assertThat(interruptReply.content().get("status").getAsString()).isEqualTo("ok");
        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        assertThat(reply.content().get("ename").getAsString()).isEqualTo("Interrupted");
    }

    @Test
    void wronglySignedAndMalformedMessagesAreDroppedAndTheKernelKeepsAnswering() {
        Message forged = client.request("execute_request", execute("out forged"));
        List<byte[]> frames = new ArrayList<>(client.codec().encode(forged));
        frames.set(1, "0".repeat(64).getBytes(StandardCharsets.US_ASCII));
        client.shellRaw(frames);
        client.shellRaw(List.of("garbage".getBytes(StandardCharsets.US_ASCII)));
        client.shellRaw(List.of(MessageCodec.DELIMITER, "sig".getBytes(StandardCharsets.US_ASCII)));

        String id = client.shell("kernel_info_request", new JsonObject());
        Message reply = client.shellReply(WAIT);

        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        assertThat(client.shellReplyOrNull(Duration.ofMillis(300))).isNull();
    }

    @Test
    void historyAnswersTailRangeAndSearch() {
        for (String code : List.of("1", "22", "23")) {
            String id = client.shell("execute_request", execute(code));
            client.shellReply(WAIT);
            client.iopubUntilIdle(id, WAIT);
        }
        JsonObject tail = new JsonObject();
        tail.addProperty("hist_access_type", "tail");
        tail.addProperty("n", 2);
        tail.addProperty("output", true);
        tail.addProperty("raw", true);
        client.shell("history_request", tail);
        var tailItems = client.shellReply(WAIT).content().getAsJsonArray("history");
        assertThat(tailItems).hasSize(2);
        assertThat(tailItems.get(0).getAsJsonArray().get(2).getAsJsonArray().get(0).getAsString()).isEqualTo("22");
        assertThat(tailItems.get(0).getAsJsonArray().get(2).getAsJsonArray().get(1).getAsString()).isEqualTo("22");

        JsonObject range = new JsonObject();
        range.addProperty("hist_access_type", "range");
        range.addProperty("session", History.SESSION);
        range.addProperty("start", 1);
        range.addProperty("stop", 2);
        client.shell("history_request", range);
        var rangeItems = client.shellReply(WAIT).content().getAsJsonArray("history");
        assertThat(rangeItems).hasSize(1);
        assertThat(rangeItems.get(0).getAsJsonArray().get(2).getAsString()).isEqualTo("1");

        JsonObject search = new JsonObject();
        search.addProperty("hist_access_type", "search");
        search.addProperty("pattern", "2?");
        client.shell("history_request", search);
        assertThat(client.shellReply(WAIT).content().getAsJsonArray("history")).hasSize(2);
    }

    @Test
    void completeInspectIsCompleteAndCommInfoAnswer() {
        JsonObject complete = new JsonObject();
        complete.addProperty("code", "Thr");
        complete.addProperty("cursor_pos", 3);
        client.shell("complete_request", complete);
        JsonObject c = client.shellReply(WAIT).content();
        assertThat(c.getAsJsonArray("matches").asList()).extracting(e -> e.getAsString()).containsExactly("Thread", "ThreadLocal");
        assertThat(c.get("cursor_start").getAsInt()).isZero();
        JsonArray types = c.getAsJsonObject("metadata").getAsJsonArray("_jupyter_types_experimental");
        assertThat(types.asList()).extracting(t -> t.getAsJsonObject().get("text").getAsString()).containsExactly("Thread", "ThreadLocal");
        assertThat(types.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("class");
        assertThat(types.get(0).getAsJsonObject().get("start").getAsInt()).isZero();
        assertThat(types.get(0).getAsJsonObject().get("end").getAsInt()).isEqualTo(3);

        JsonObject magic = new JsonObject();
        magic.addProperty("code", "%cl");
        magic.addProperty("cursor_pos", 3);
        client.shell("complete_request", magic);
        JsonObject m = client.shellReply(WAIT).content();
        assertThat(m.getAsJsonArray("matches").asList()).extracting(e -> e.getAsString()).containsExactly("classpath");
        assertThat(m.get("cursor_start").getAsInt()).isEqualTo(1);
        assertThat(m.getAsJsonObject("metadata").getAsJsonArray("_jupyter_types_experimental").get(0).getAsJsonObject()
                .get("type").getAsString()).isEqualTo("magic");

        JsonObject inspect = new JsonObject();
        inspect.addProperty("code", "Thread");
        inspect.addProperty("cursor_pos", 2);
        inspect.addProperty("detail_level", 0);
        client.shell("inspect_request", inspect);
        JsonObject i = client.shellReply(WAIT).content();
        assertThat(i.get("found").getAsBoolean()).isTrue();
        assertThat(i.getAsJsonObject("data").get("text/plain").getAsString()).isEqualTo("doc of Thread");

        for (String[] sample : new String[][] {{"int x = 1;", "complete"}, {"class A {", "incomplete"},
                {"}", "invalid"}, {"%time", "complete"}, {"%%time\nclass A {", "incomplete"}}) {
            JsonObject isComplete = new JsonObject();
            isComplete.addProperty("code", sample[0]);
            client.shell("is_complete_request", isComplete);
            assertThat(client.shellReply(WAIT).content().get("status").getAsString()).as(sample[0]).isEqualTo(sample[1]);
        }

        client.shell("comm_info_request", new JsonObject());
        JsonObject comms = client.shellReply(WAIT).content();
        assertThat(comms.get("status").getAsString()).isEqualTo("ok");
        assertThat(comms.getAsJsonObject("comms").size()).isZero();
    }

    @Test
    void displaysAndClearOutputArePublishedUnderTheCell() {
        String id = client.shell("execute_request", execute("display text/html <b>hi</b>\nclear"));
        client.shellReply(WAIT);
        List<Message> iopub = client.iopubUntilIdle(id, WAIT);

        Message display = iopub.stream().filter(m -> m.type().equals("display_data")).findFirst().orElseThrow();
        assertThat(display.content().getAsJsonObject("data").get("text/html").getAsString()).isEqualTo("<b>hi</b>");
        assertThat(display.content().getAsJsonObject("transient").get("display_id").getAsString()).isEqualTo("d1");
        assertThat(KernelClient.types(iopub)).contains("clear_output");
    }

    @Test
    void unknownMagicIsAOneLineMagicError() {
        String id = client.shell("execute_request", execute("%nosuchmagic 1 2"));
        Message reply = client.shellReply(WAIT);
        List<Message> iopub = client.iopubUntilIdle(id, WAIT);

        assertThat(reply.content().get("ename").getAsString()).isEqualTo("MagicError");
        Message error = iopub.stream().filter(m -> m.type().equals("error")).findFirst().orElseThrow();
        assertThat(error.content().getAsJsonArray("traceback")).hasSize(1);
        assertThat(error.content().get("evalue").getAsString()).contains("%nosuchmagic").doesNotContain("\n");
    }

    @Test
    void docMagicRepliesWithAPagePayload() {
        String id = client.shell("execute_request", execute("%doc Thread"));
        Message reply = client.shellReply(WAIT);
        client.iopubUntilIdle(id, WAIT);

        var payload = reply.content().getAsJsonArray("payload");
        assertThat(payload).hasSize(1);
        JsonObject page = payload.get(0).getAsJsonObject();
        assertThat(page.get("source").getAsString()).isEqualTo("page");
        assertThat(page.getAsJsonObject("data").get("text/plain").getAsString()).isEqualTo("doc of Thread");
    }

    @Test
    void outputOfAnEarlierCellsThreadIsLabelledInTheRunningCellAndGoesHomeWhenIdle() {
        String first = client.shell("execute_request", execute("out started"));
        client.shellReply(WAIT);
        client.iopubUntilIdle(first, WAIT);

        String second = client.shell("execute_request", execute("block"));
        awaitBlocking();
        fake.get().events().stream(1, "ticker", "stdout", "tick\n");
        client.control("interrupt_request", new JsonObject());
        client.shellReply(WAIT);
        assertThat(text(client.iopubUntilIdle(second, WAIT), "stream")).isEqualTo("[ticker, cell 1] tick\n");

        fake.get().events().stream(1, "ticker", "stdout", "late\n");
        Message late = client.iopub(WAIT);
        while (!late.type().equals("stream")) {
            late = client.iopub(WAIT);
        }
        assertThat(KernelClient.parentId(late)).isEqualTo(first);
        assertThat(late.content().get("text").getAsString()).isEqualTo("late\n");
    }

    @Test
    void aFloodFromFourThreadsArrivesCompleteAndInOrderInFewMessages() throws Exception {
        int threads = 4;
        int lines = 25_000;
        String id = client.shell("execute_request", execute("block"));
        awaitBlocking();
        long start = System.nanoTime();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                for (int i = 0; i < lines; i++) {
                    fake.get().events().stream(1, "writer-" + writer, "stdout", writer + " " + i + "\n");
                }
            }));
        }
        for (Thread t : writers) {
            t.join(WAIT.toMillis());
        }
        client.control("interrupt_request", new JsonObject());
        client.shellReply(WAIT);
        List<Message> iopub = client.iopubUntilIdle(id, WAIT);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Message> streams = iopub.stream().filter(m -> m.type().equals("stream")).toList();
        int[] next = new int[threads];
        for (String line : text(iopub, "stream").split("\n")) {
            String[] w = line.split(" ");
            int writer = Integer.parseInt(w[0]);
            assertThat(Integer.parseInt(w[1])).as("order of writer %d", writer).isEqualTo(next[writer]);
            next[writer]++;
        }
        assertThat(next).containsOnly(lines);
        assertThat(streams.size() / Math.max(1.0, seconds)).as("stream messages per second").isLessThanOrEqualTo(200);
    }

    @Test
    void aRequestThatFailsInsideTheKernelGetsAnErrorReplyAndServingGoesOn() {
        JsonObject inspect = new JsonObject();
        inspect.addProperty("code", "explode");
        inspect.addProperty("cursor_pos", 7);
        String id = client.shell("inspect_request", inspect);
        Message reply = client.shellReply(WAIT);

        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        assertThat(reply.type()).isEqualTo("inspect_reply");
        assertThat(reply.content().get("status").getAsString()).isEqualTo("error");
        assertThat(reply.content().get("evalue").getAsString()).isEqualTo("inspection exploded");
        client.shell("kernel_info_request", new JsonObject());
        assertThat(client.shellReply(WAIT).type()).isEqualTo("kernel_info_reply");
    }

    @Test
    void debugInfoGivesTheHashAndFileNamingAndAnUnknownRequestIsRefusedWithAReply() {
        JsonObject info = new JsonObject();
        info.addProperty("seq", 7);
        info.addProperty("type", "request");
        info.addProperty("command", "debugInfo");
        String id = client.control("debug_request", info);
        Message reply = client.controlReply(WAIT);
        assertThat(reply.type()).isEqualTo("debug_reply");
        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        JsonObject c = reply.content();
        assertThat(c.get("type").getAsString()).isEqualTo("response");
        assertThat(c.get("request_seq").getAsLong()).isEqualTo(7);
        assertThat(c.get("success").getAsBoolean()).isTrue();
        JsonObject body = c.getAsJsonObject("body");
        assertThat(body.get("hashMethod").getAsString()).isEqualTo("Murmur2");
        assertThat(body.get("tmpFileSuffix").getAsString()).isEqualTo(".java");
        assertThat(body.get("isStarted").getAsBoolean()).isFalse();

        JsonObject unknown = new JsonObject();
        unknown.addProperty("seq", 8);
        unknown.addProperty("type", "request");
        unknown.addProperty("command", "restartFrame");
        client.control("debug_request", unknown);
        Message refused = client.controlReply(WAIT);
        assertThat(refused.content().get("success").getAsBoolean()).isFalse();
        assertThat(refused.content().get("command").getAsString()).isEqualTo("restartFrame");
        assertThat(refused.content().get("message").getAsString()).contains("restartFrame");

        client.control("debug_request", new JsonObject());
        Message malformed = client.controlReply(WAIT);
        assertThat(malformed.type()).isEqualTo("debug_reply");
        assertThat(malformed.content().get("success").getAsBoolean()).isFalse();
        assertThat(malformed.content().get("command").getAsString()).isEmpty();
    }

    @Test
    void heartbeatEchoes() {
        assertThat(client.heartbeat(WAIT, "ping".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(client.heartbeat(WAIT, "two".getBytes(StandardCharsets.US_ASCII), "parts".getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void shutdownRepliesWithTheRestartFlagAndEndsTheServer() throws Exception {
        JsonObject request = new JsonObject();
        request.addProperty("restart", true);
        String id = client.control("shutdown_request", request);
        Message reply = client.controlReply(WAIT);

        assertThat(KernelClient.parentId(reply)).isEqualTo(id);
        assertThat(reply.content().get("restart").getAsBoolean()).isTrue();
        java.util.concurrent.CompletableFuture<Void> ended = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                server.awaitShutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ended.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        server.close();
        assertThat(fake.get().closed).isTrue();
    }
}
