package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.Event;
import dev.jcn.kernel.wire.Utf8;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

    private final List<Event.Chunk> items = new CopyOnWriteArrayList<>();

    private void collect(List<Event.Chunk> batch) {
        items.addAll(batch);
    }

    private String textOf(String thread) {
        StringBuilder b = new StringBuilder();
        for (Event.Chunk i : items) {
            if (i.thread().equals(thread)) {
                b.append(i.text());
            }
        }
        return b.toString();
    }

    @Test
    void writesAreTaggedWithTheWritersCellAndName() throws Exception {
        try (OutputCapture capture = new OutputCapture(this::collect)) {
            PrintStream out = capture.stream(false);
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
            assertThat(i.thread()).isEqualTo("tagged");
            assertThat(i.cell()).isEqualTo(12);
            assertThat(i.stderr()).isFalse();
            assertThat(i.service()).isEmpty();
        });
        assertThat(items).anySatisfy(i -> {
            assertThat(i.thread()).isEqualTo("child");
            assertThat(i.cell()).isEqualTo(12);
        });
        assertThat(textOf("child")).isEqualTo("from the child" + System.lineSeparator());
    }

    @Test
    void manyWritersKeepTheirOrderAndLoseNothing() throws Exception {
        int lines = 20_000;
        try (OutputCapture capture = new OutputCapture(this::collect)) {
            PrintStream out = capture.stream(false);
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
            PrintStream out = capture.stream(true);
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
