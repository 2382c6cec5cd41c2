package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopChecksTest {

    /** A loop that never ends by itself and never checks for interrupts. */
    public static final class Spin {
        public static long spin(AtomicBoolean started) {
            started.set(true);
            long n = 0;
            while (true) {
                n++;
            }
        }
    }

    private static Class<?> woven() throws Exception {
        byte[] bytes;
        try (InputStream in = Spin.class.getResourceAsStream("StopChecksTest$Spin.class")) {
            bytes = in.readAllBytes();
        }
        byte[] rewritten = StopChecks.weave(bytes, java.lang.classfile.ClassHierarchyResolver.defaultResolver());
        ClassLoader loader = new ClassLoader(StopChecksTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Spin.class.getName())) {
                    return defineClass(name, rewritten, 0, rewritten.length);
                }
                return super.loadClass(name, resolve);
            }
        };
        return loader.loadClass(Spin.class.getName());
    }

    @Test
    void aWovenLoopEndsWhenItsCellIsStopped() throws Exception {
        Method spin = woven().getMethod("spin", AtomicBoolean.class);
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            Cells.enter(901);
            try {
                spin.invoke(null, started);
            } catch (java.lang.reflect.InvocationTargetException e) {
                ended.complete(e.getCause());
            } catch (ReflectiveOperationException e) {
                ended.complete(e);
            }
        });
        while (!started.get()) {
            Thread.onSpinWait();
        }
        Cells.stop(901);
        Throwable t = ended.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(CellStopped.class);
        assertThat(((CellStopped) t).cell()).isEqualTo(901);
        Cells.release(901);
        assertThat(Cells.isStopped(901)).isFalse();
    }

    @Test
    void otherCellsAreNotStopped() throws Exception {
        Method spin = woven().getMethod("spin", AtomicBoolean.class);
        AtomicBoolean started = new AtomicBoolean();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            Cells.enter(902);
            try {
                spin.invoke(null, started);
            } catch (ReflectiveOperationException e) {
                // ends the thread
            }
        });
        while (!started.get()) {
            Thread.onSpinWait();
        }
        Cells.stop(903);
        assertThat(t.join(java.time.Duration.ofMillis(300))).isFalse();
        Cells.stop(t);
        assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
    }

    /** Frames of its method merge two unrelated classes, so weaving needs their hierarchy. */
    public static final class Merge {
        public static Object pick(boolean first) {
            return first ? new StringBuilder() : Thread.currentThread();
        }
    }

    @Test
    void aClassWhoseHierarchyCannotBeResolvedIsLeftAsItWas() throws Exception {
        byte[] bytes;
        try (InputStream in = Merge.class.getResourceAsStream("StopChecksTest$Merge.class")) {
            bytes = in.readAllBytes();
        }
        assertThat(StopChecks.weave(bytes, java.lang.classfile.ClassHierarchyResolver.defaultResolver())).isNotEqualTo(bytes);
        assertThat(StopChecks.weave(bytes, desc -> null)).isSameAs(bytes);
        assertThat(StopChecks.weave(bytes, StopChecks.resolver(java.util.Map.of(), name -> null))).isNotEqualTo(bytes);
    }
}
