package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

    private final List<JsonObject> items = new CopyOnWriteArrayList<>();

    private void collect(JsonArray batch) {
        for (JsonElement e : batch) {
            items.add(e.getAsJsonObject());
        }
    }

    private String textOf(String thread) {
        StringBuilder b = new StringBuilder();
        for (JsonObject i : items) {
            if (i.get("thread").getAsString().equals(thread)) {
                b.append(i.get("text").getAsString());
            }
        }
        return b.toString();
    }

    @Test
    void writesAreTaggedWithTheWritersCellAndName() throws Exception {
        try (OutputCapture capture = new OutputCapture(this::collect)) {
            PrintStream out = capture.stream("stdout");
            Thread t = Thread.ofPlatform().name("tagged").start(() -> {
                Cells.enter(12);
                Thread child = Thread.ofVirtual().name("child").start(() -> out.println("from the child"));
                out.println("from the cell");
                try {
                    child.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.join();
            capture.flush();
        }
        assertThat(items).anySatisfy(i -> {
            assertThat(i.get("thread").getAsString()).isEqualTo("tagged");
            assertThat(i.get("cell").getAsInt()).isEqualTo(12);
            assertThat(i.get("name").getAsString()).isEqualTo("stdout");
        });
        assertThat(items).anySatisfy(i -> {
            assertThat(i.get("thread").getAsString()).isEqualTo("child");
            assertThat(i.get("cell").getAsInt()).isEqualTo(12);
        });
        assertThat(textOf("child")).isEqualTo("from the child" + System.lineSeparator());
    }

    @Test
    void manyWritersKeepTheirOrderAndLoseNothing() throws Exception {
        int lines = 20_000;
        try (OutputCapture capture = new OutputCapture(this::collect)) {
            PrintStream out = capture.stream("stdout");
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String name = "w" + w;
                writers.add(Thread.ofPlatform().name(name).start(() -> {
                    for (int i = 0; i < lines; i++) {
                        out.println(name + " " + i);
                    }
                }));
            }
            for (Thread t : writers) {
                t.join();
            }
            capture.flush();
        }
        for (int w = 0; w < 4; w++) {
            String[] got = textOf("w" + w).split(System.lineSeparator());
            assertThat(got).hasSize(lines);
            for (int i = 0; i < lines; i++) {
                assertThat(got[i]).isEqualTo("w" + w + " " + i);
            }
        }
        assertThat(items.size()).as("batched, not one item per line").isLessThan(4 * lines / 10);
    }

    @Test
    void aCharacterSplitAcrossWritesIsKeptWhole() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (OutputCapture capture = new OutputCapture(this::collect)) {
            PrintStream out = capture.stream("stderr");
            out.write(euro, 0, 2);
            out.flush();
            capture.flush();
            out.write(euro, 2, 1);
            out.flush();
            capture.flush();
        }
        assertThat(textOf(Thread.currentThread().getName())).isEqualTo("€");
    }

    @Test
    void utf8CompleteLength() {
        byte[] a = "a€".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.completeLength(a)).isEqualTo(4);
        assertThat(Utf8.completeLength(java.util.Arrays.copyOf(a, 3))).isEqualTo(1);
        assertThat(Utf8.completeLength(java.util.Arrays.copyOf(a, 2))).isEqualTo(1);
        assertThat(Utf8.completeLength(new byte[0])).isZero();
    }
}
