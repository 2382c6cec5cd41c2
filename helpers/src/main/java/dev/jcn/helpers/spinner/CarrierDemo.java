package dev.jcn.helpers.spinner;

import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildMain;
import dev.jcn.helpers.process.ChildProcess;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What blocking does to a virtual thread's carrier, measured: on a single carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}), a virtual-thread ticker counts its ticks (one every
 * 100 ms, like a spinner's frames) while another virtual thread blocks in one of several ways. The count shows
 * whether the blocked thread gave the carrier up, the number of carrier threads shows whether the scheduler
 * added one to make up for a blocked carrier, and a JFR recording counts {@code jdk.VirtualThreadPinned} events.
 *
 * <pre>{@code
 * for (CarrierDemo.Block b : CarrierDemo.inChildJvm(Duration.ofSeconds(1), CarrierDemo.KINDS)) {
 *     System.out.println(b.line());   // block kind=file-read ticks=0 expected=10 carriers=1 pinned_events=0 ...
 * }
 * }</pre>
 *
 * <p>The ways to block, as measured on JDK 25:
 * <ul>
 * <li>{@code sleep}: {@code Thread.sleep}; the virtual thread unmounts, the ticker runs.</li>
 * <li>{@code synchronized-sleep}: the same inside a {@code synchronized} block; since JDK 24 (JEP 491) a monitor
 *     does not pin, so it unmounts too.</li>
 * <li>{@code file-read}: a {@code FileInputStream} read of a named pipe with no data yet; file reads hold the
 *     carrier and, since JDK 23, get no extra carrier (they are usually too short to be worth one).</li>
 * <li>{@code native-call}: a C function that waits, {@code poll(NULL, 0, ms)}, called through the FFM API; a
 *     native frame pins the virtual thread, and nothing makes up for the blocked carrier.</li>
 * <li>{@code native-upcall-sleep}: {@code Thread.sleep} inside a Java method that C code ({@code qsort}) calls
 *     back: the sleep tries to unmount with a native frame on the stack, cannot, and JFR records a
 *     {@code jdk.VirtualThreadPinned} event.</li>
 * <li>{@code cpu}: a loop that never blocks; it keeps its carrier, as notebook 04 shows at length.</li>
 * <li>{@code pipe-read}: reading a child process's output, which has none yet; the read holds the carrier, and
 *     the JDK adds a carrier for as long as it blocks, so the ticker runs on that one.</li>
 * </ul>
 *
 * <p>The kinds always run in the order of {@link #KINDS}, with {@code pipe-read} last: a carrier added to make
 * up for a blocked one stays alive for a while after, and would be counted for the kinds that follow.
 */
public final class CarrierDemo {

    /** The ways to block this demo knows, in the order {@link #inChildJvm} runs them by default. */
    public static final List<String> KINDS = List.of("sleep", "synchronized-sleep", "file-read", "native-call",
            "native-upcall-sleep", "cpu", "pipe-read");

    /** How often the ticker ticks: the spinners' frame interval. */
    public static final Duration TICK = Spinner.INTERVAL;

    /**
     * What happened while one virtual thread blocked in one way.
     *
     * @param kind         the way it blocked, one of {@link #KINDS}
     * @param ticks        ticks the other virtual thread made meanwhile
     * @param expected     ticks a free carrier would have allowed ({@code elapsed / TICK})
     * @param carriers     the most carrier threads alive at once meanwhile
     * @param pinnedEvents {@code jdk.VirtualThreadPinned} events JFR recorded meanwhile
     * @param elapsed      how long the blocking took
     */
    public record Block(String kind, int ticks, int expected, int carriers, int pinnedEvents, Duration elapsed) {

        /** E.g. {@code block kind=file-read ticks=0 expected=10 carriers=1 pinned_events=0 seconds=1.00}. */
        public String line() {
            return String.format(Locale.ROOT, "block kind=%s ticks=%d expected=%d carriers=%d pinned_events=%d "
                    + "seconds=%.2f", kind, ticks, expected, carriers, pinnedEvents, elapsed.toNanos() / 1e9);
        }

        /** Whether the other virtual thread kept ticking: at least half the ticks a free carrier allows. */
        public boolean tickerRan() {
            return ticks * 2 >= expected;
        }

        static Block parse(String line) {
            String[] f = line.strip().split(" ");
            if (f.length != 7 || !f[0].equals("block")) {
                throw new IllegalStateException("not a block line: " + line);
            }
            return new Block(value(f[1]), Integer.parseInt(value(f[2])), Integer.parseInt(value(f[3])),
                    Integer.parseInt(value(f[4])), Integer.parseInt(value(f[5])),
                    Duration.ofNanos((long) (Double.parseDouble(value(f[6])) * 1e9)));
        }

        private static String value(String pair) {
            return pair.substring(pair.indexOf('=') + 1);
        }
    }

    private CarrierDemo() {
    }

    /**
     * Runs the demo in a child JVM with a single carrier and native access, one kind after the other.
     *
     * @param blockFor how long each kind blocks (at least {@link #TICK} × 4)
     * @param kinds    which ways to block, from {@link #KINDS}
     * @throws IllegalArgumentException for an unknown kind or too short a time
     * @throws IllegalStateException    if the child fails or takes too long
     */
    public static List<Block> inChildJvm(Duration blockFor, List<String> kinds) {
        validate(blockFor, kinds);
        List<String> args = new ArrayList<>(List.of(Long.toString(blockFor.toMillis())));
        KINDS.stream().filter(kinds::contains).forEach(args::add);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Duration limit = blockFor.multipliedBy(kinds.size()).plusSeconds(60);
        try (ChildProcess child = ChildJvm.of(CarrierDemo.class)
                .jvmOptions("-Djdk.virtualThreadScheduler.parallelism=1", "--enable-native-access=ALL-UNNAMED")
                .args(args.toArray(String[]::new)).onOutputLine(lines::add).start()) {
            if (!child.waitFor(limit) || child.exitCode() != 0) {
                throw new IllegalStateException("the carrier demo did not finish cleanly: "
                        + String.join(" | ", child.output()));
            }
        }
        return lines.stream().filter(l -> l.startsWith("block ")).map(Block::parse).toList();
    }

    private static void validate(Duration blockFor, List<String> kinds) {
        if (blockFor == null || blockFor.compareTo(TICK.multipliedBy(4)) < 0) {
            throw new IllegalArgumentException("block for at least " + TICK.multipliedBy(4).toMillis()
                    + " ms, got " + blockFor);
        }
        for (String kind : kinds) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown kind '" + kind + "'; choose from " + KINDS);
            }
        }
    }

    /** Arguments: milliseconds to block, then kinds. Prints one {@link Block#line()} per kind. */
    public static void main(String[] args) throws Exception {
        ChildMain.watchParent();
        Duration blockFor = Duration.ofMillis(Long.parseLong(args[0]));
        List<String> kinds = List.of(args).subList(1, args.length);
        validate(blockFor, kinds);
        var ticks = new AtomicInteger();
        Thread ticker = Thread.ofVirtual().name("ticker").start(() -> {
            try {
                while (true) {
                    ticks.incrementAndGet();
                    Thread.sleep(TICK);
                }
            } catch (InterruptedException stop) {
                // the demo is over
            }
        });
        for (String kind : kinds) {
            System.out.println(measure(kind, blockFor, ticks).line());
        }
        ticker.interrupt();
        ticker.join();
    }

    private static Block measure(String kind, Duration blockFor, AtomicInteger ticks) throws Exception {
        Path jfr = Files.createTempFile("jcn-pinned", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20));
            recording.start();
            var maxCarriers = new AtomicInteger(carriers());
            var done = new CountDownLatch(1);
            Thread watcher = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    do {
                        maxCarriers.accumulateAndGet(carriers(), Math::max);
                    } while (!done.await(20, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Made before the timing: starting mkfifo from a virtual thread would itself add a carrier.
            Path fifo = kind.equals("file-read") ? namedPipe() : null;
            int before = ticks.get();
            long t0 = System.nanoTime();
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            Thread blocker = Thread.ofVirtual().name("blocker").start(() -> {
                try {
                    block(kind, blockFor, fifo);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            blocker.join();
            long elapsed = System.nanoTime() - t0;
            int ran = ticks.get() - before;
            done.countDown();
            watcher.join();
            if (failure.get() != null) {
                throw new IllegalStateException(kind + " failed: " + failure.get(), failure.get());
            }
            recording.stop();
            recording.dump(jfr);
            int pinned = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    pinned++;
                }
            }
            return new Block(kind, ran, (int) (elapsed / TICK.toNanos()), maxCarriers.get(), pinned,
                    Duration.ofNanos(elapsed));
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /** The carrier threads of the virtual-thread scheduler alive now. */
    private static int carriers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getClass().getName().equals("jdk.internal.misc.CarrierThread")).count();
    }

    private static void block(String kind, Duration blockFor, Path fifo) throws Throwable {
        long millis = blockFor.toMillis();
        switch (kind) {
            case "sleep" -> Thread.sleep(blockFor);
            case "synchronized-sleep" -> {
                synchronized (CarrierDemo.class) {
                    Thread.sleep(blockFor);
                }
            }
            case "pipe-read" -> {
                Process p = new ProcessBuilder("sleep", String.format(Locale.ROOT, "%.3f", millis / 1000.0))
                        .redirectErrorStream(true).start();
                try (InputStream out = p.getInputStream()) {
                    out.read();
                }
                p.waitFor();
            }
            case "file-read" -> readNamedPipe(fifo, blockFor);
            case "native-call" -> {
                Linker linker = Linker.nativeLinker();
                MethodHandle poll = linker.downcallHandle(linker.defaultLookup().find("poll").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
                int ignored = (int) poll.invokeExact(MemorySegment.NULL, 0L, (int) millis);
            }
            case "native-upcall-sleep" -> sortWithSleepingComparator(blockFor);
            default -> {
                long end = System.nanoTime() + blockFor.toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** A new named pipe (a FIFO) in a temporary folder of its own. */
    private static Path namedPipe() throws IOException, InterruptedException {
        Path fifo = Files.createTempDirectory("jcn-fifo").resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
        return fifo;
    }

    /**
     * Reads one byte from the named pipe, whose writer, a platform thread, opens it at once and writes only after
     * {@code blockFor}: the read, not the open, is what blocks. Deletes the pipe.
     */
    private static void readNamedPipe(Path fifo, Duration blockFor) throws Exception {
        try {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (var out = new FileOutputStream(fifo.toFile())) {
                    Thread.sleep(blockFor);
                    out.write(42);
                } catch (IOException | InterruptedException e) {
                    // the reader then sees the end of the pipe and returns as well
                }
            });
            try (var in = new FileInputStream(fifo.toFile())) {
                in.read();
            }
            writer.join();
        } finally {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(fifo.getParent());
        }
    }

    private static volatile Duration upcallSleep;

    /** Called by C's {@code qsort}: sleeps, then compares two ints. */
    static int sleepingCompare(MemorySegment a, MemorySegment b) {
        try {
            Thread.sleep(upcallSleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        return Integer.compare(a.get(ValueLayout.JAVA_INT, 0), b.get(ValueLayout.JAVA_INT, 0));
    }

    /** Sorts two ints with C's {@code qsort} and a comparator that sleeps {@code blockFor}: one comparison. */
    private static void sortWithSleepingComparator(Duration blockFor) throws Throwable {
        upcallSleep = blockFor;
        Linker linker = Linker.nativeLinker();
        var intPointer = ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT);
        MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS));
        MethodHandle compare = MethodHandles.lookup().findStatic(CarrierDemo.class, "sleepingCompare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment comparator = linker.upcallStub(compare,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, intPointer, intPointer), arena);
            MemorySegment two = arena.allocateFrom(ValueLayout.JAVA_INT, 2, 1);
            qsort.invokeExact(two, 2L, 4L, comparator);
        }
    }
}
