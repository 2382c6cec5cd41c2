package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamCoalescerTest {

    private record Sent(JsonObject parent, String name, String text, long nanos) {}

    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

    private static JsonObject header(String id) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", id);
        return h;
    }

    @Test
    void flushSendsOneMessagePerParentAndStreamInArrivalOrder() {
        JsonObject a = header("a");
        JsonObject b = header("b");
        try (StreamCoalescer c = new StreamCoalescer((p, n, t) -> sent.add(new Sent(p, n, t, 0)), Duration.ofHours(1), 1 << 20)) {
            c.append(a, "stdout", "1");
            c.append(b, "stdout", "x");
            c.append(a, "stdout", "2");
            c.append(a, "stderr", "e");
            c.flush();
        }
        assertThat(sent).extracting(Sent::text).containsExactly("12", "x", "e");
        assertThat(sent.getFirst().parent()).isSameAs(a);
    }

    @Test
    void aFullBufferIsSentAtOnce() {
        try (StreamCoalescer c = new StreamCoalescer((p, n, t) -> sent.add(new Sent(p, n, t, 0)), Duration.ofHours(1), 10)) {
            c.append(header("a"), "stdout", "0123456789AB");
            assertThat(sent).extracting(Sent::text).containsExactly("0123456789AB");
        }
    }

    @Test
    void theFlusherDeliversWithoutAnExplicitFlush() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        try (StreamCoalescer c = new StreamCoalescer((p, n, t) -> {
            sent.add(new Sent(p, n, t, 0));
            delivered.countDown();
        }, Duration.ofMillis(50), 1 << 20)) {
            c.append(header("a"), "stdout", "tick");
            assertThat(delivered.await(2, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sent).extracting(Sent::text).containsExactly("tick");
    }

    @Test
    void aFloodFromFourThreadsArrivesCompleteInOrderPerThreadInFewMessages() throws Exception {
        int threads = 4;
        int lines = 25_000;
        JsonObject parent = header("flood");
        long start = System.nanoTime();
        try (StreamCoalescer c = new StreamCoalescer((p, n, t) -> sent.add(new Sent(p, n, t, System.nanoTime())),
                NotebookOutput.FLUSH_INTERVAL, NotebookOutput.MAX_BUFFERED_CHARS)) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int id = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < lines; i++) {
                        c.append(parent, "stdout", "t" + id + " " + i + "\n");
                    }
                }));
            }
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        double seconds = Math.max(1.0, (System.nanoTime() - start) / 1e9);
        String all = String.join("", sent.stream().map(Sent::text).toList());
        int[] next = new int[threads];
        for (String line : all.split("\n")) {
            String[] w = line.split(" ");
            int id = Integer.parseInt(w[0].substring(1));
            assertThat(Integer.parseInt(w[1])).as("line order of thread %d", id).isEqualTo(next[id]);
            next[id]++;
        }
        assertThat(next).containsOnly(lines);
        assertThat(sent.size() / seconds).as("messages per second").isLessThanOrEqualTo(200);
    }
}
