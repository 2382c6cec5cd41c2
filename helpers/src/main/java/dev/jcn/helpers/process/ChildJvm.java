package dev.jcn.helpers.process;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts a child JVM running a main class with the same {@code java} binary and class path as this JVM,
 * plus the JVM options you choose; its output is relayed live like any {@link ChildProcess}.
 *
 * <pre>{@code
 * try (var child = ChildJvm.of(Sleeper.class).jvmOptions("-XX:ActiveProcessorCount=1").args("1").start()) {
 *     child.waitFor(Duration.ofSeconds(10));
 * }
 * ChildJvm.start(Sleeper.class, "0.5");     // the short form, default options
 * }</pre>
 *
 * <p>Every child JVM dies with its parent: a small launcher ({@link ChildMain}) watches the parent process
 * and halts the child when the parent is gone. Child JVMs run with {@code --enable-preview} (the helpers are
 * compiled with it) and, when it could be made, the shared {@link AotCache} to start faster.
 *
 * <p>It is the one launcher of the project's JVMs: the kernel starts its user JVM with it too, with a
 * class path, options and an AOT cache of its own ({@link #aotCache(AotCache)}), and a main class that
 * ends with the kernel by itself ({@link #selfWatching()}).
 */
public final class ChildJvm {

    /**
     * Options that make a small child JVM start sooner without slowing the prime loop: the serial collector
     * (no concurrent GC threads to set up), no perf-data file, and the class-data archive (the AOT cache, or
     * the JDK's default archive) mapped where it was laid out instead of at a random address, which spares
     * relocating every pointer in it (about 4 ms of each start here). Used unless {@link #fastStart(boolean)}
     * is off.
     *
     * <p>Both compilers stay on: with C1 alone ({@code -XX:TieredStopAtLevel=1}) a child using the AOT cache
     * ran the prime loop 4–9 % slower than C2 code does, more than the millisecond of start-up it saves.
     */
    public static final List<String> FAST_START_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /** The helpers' main classes that call {@link ChildMain#watchParent()} themselves. */
    private static final java.util.Set<String> SELF_WATCHING = java.util.Set.of(
            "dev.jcn.helpers.timing.Hello", "dev.jcn.helpers.pool.PoolWorkerMain",
            "dev.jcn.helpers.spinner.SpinnerMain", "dev.jcn.helpers.spinner.SpinnerDemo",
            "dev.jcn.helpers.process.Sleeper", "dev.jcn.helpers.timing.ParallelismProbe",
            "dev.jcn.helpers.process.AotTraining", "dev.jcn.helpers.process.LifetimeDemo");

    private final String mainClass;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    /**
     * The helpers' main classes that run on {@link #helpersClassPath()} alone: the one that times a child JVM's
     * start and the process pool's worker. A child JVM checks every jar of its class path against its AOT
     * cache at start, and a shorter class path started these children about 1.5 ms sooner here.
     */
    private static final java.util.Set<String> ON_HELPERS_JAR = java.util.Set.of(
            "dev.jcn.helpers.timing.Hello", "dev.jcn.helpers.pool.PoolWorkerMain");

    /**
     * Options for the helpers' start-up timer ({@code Hello}), which prints one line and ends: the C1 compiler
     * alone, since C2's set-up delayed its first output by 1.5–3 ms here and it runs nothing worth optimising.
     * CPU-bound children keep both compilers (see {@link #FAST_START_OPTIONS}).
     */
    public static final List<String> PRINT_AND_EXIT_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private String classPath;
    private String aotTraining;
    private boolean useAotCache = true;
    private AotCache aotCache;
    private boolean selfWatching;
    private boolean fastStart = true;
    private int cpus;
    private Consumer<String> onLine;
    private Consumer<String> observer;

    private ChildJvm(String mainClass) {
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("a child JVM needs a main class name");
        }
        this.mainClass = mainClass;
        this.classPath = ON_HELPERS_JAR.contains(mainClass) ? helpersClassPath() : classPath();
    }

    /** A child JVM that will run {@code mainClass}'s {@code main(String[])}. */
    public static ChildJvm of(Class<?> mainClass) {
        return new ChildJvm(mainClass.getName());
    }

    /** A child JVM that will run the main class of that name (found on the class path). */
    public static ChildJvm of(String mainClass) {
        return new ChildJvm(mainClass);
    }

    /** Starts {@code mainClass} with {@code args} and default options. */
    public static ChildProcess start(Class<?> mainClass, String... args) {
        return of(mainClass).args(args).start();
    }

    /** Adds JVM options, e.g. {@code -Djdk.virtualThreadScheduler.parallelism=1} or {@code -XX:ActiveProcessorCount=1}. */
    public ChildJvm jvmOptions(String... options) {
        return jvmOptions(Arrays.asList(options));
    }

    /** Adds JVM options. */
    public ChildJvm jvmOptions(List<String> options) {
        for (String option : options) {
            if (option == null || !option.startsWith("-")) {
                throw new IllegalArgumentException("a JVM option starts with '-', got " + option);
            }
            jvmOptions.add(option);
        }
        return this;
    }

    /** Adds program arguments for the main class. */
    public ChildJvm args(String... args) {
        this.args.addAll(Arrays.asList(args));
        return this;
    }

    /**
     * Limits the child to {@code cpus} CPUs: {@code -XX:ActiveProcessorCount} tells the JVM, and where the
     * {@code taskset} program exists the operating system also keeps the child on CPUs 0..cpus-1.
     */
    public ChildJvm cpus(int cpus) {
        int available = Runtime.getRuntime().availableProcessors();
        if (cpus < 1 || cpus > available) {
            throw new IllegalArgumentException("cpus must be between 1 and " + available + ", got " + cpus);
        }
        this.cpus = cpus;
        return this;
    }

    /** Whether {@link #cpus(int)} can pin the child with {@code taskset} on this machine. */
    public static boolean canPinCpus() {
        return TASKSET != null;
    }

    private static final String TASKSET = findTaskset();

    private static String findTaskset() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "taskset");
            if (java.nio.file.Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Uses {@code classPath} instead of this JVM's own. */
    public ChildJvm classPath(String classPath) {
        if (classPath == null || classPath.isBlank()) {
            throw new IllegalArgumentException("the class path must not be empty");
        }
        this.classPath = classPath;
        return this;
    }

    /** Whether to use the shared {@link AotCache} when it is ready (default true). */
    public ChildJvm aotCache(boolean use) {
        this.useAotCache = use;
        return this;
    }

    /**
     * Uses {@code cache} (made for this child's class path and options) instead of the helpers' own, with
     * or without {@link #fastStart(boolean)}; while it is not ready, the child starts without it and the
     * cache is made in the background.
     */
    public ChildJvm aotCache(AotCache cache) {
        this.aotCache = cache;
        return this;
    }

    /**
     * Starts the main class directly, without {@link ChildMain} in front: for a main class that ends with
     * its parent by itself (the kernel's agent ends when its standard input, a pipe from the kernel, closes).
     */
    public ChildJvm selfWatching() {
        this.selfWatching = true;
        return this;
    }

    /**
     * Uses the AOT cache made for this child's class path and JVM options by running {@code trainingMain}
     * ({@link AotCache#forTraining}), instead of the helpers' default one: for children that load much more at
     * start than the helpers' own small ones do.
     */
    public ChildJvm aotTraining(Class<?> trainingMain) {
        this.aotTraining = trainingMain.getName();
        return this;
    }

    /** The AOT cache this child would use with fast start. */
    public AotCache aotCache() {
        if (aotCache != null) {
            return aotCache;
        }
        return aotTraining == null ? AotCache.forClassPath(classPath)
                : AotCache.forTraining(classPath, jvmOptions, aotTraining);
    }

    /**
     * Whether to add {@link #FAST_START_OPTIONS} (default true). Options given with {@link #jvmOptions} come
     * later on the command line and win over them. Without fast start the helpers' AOT cache is not used
     * either, since it is made with those options; a cache given with {@link #aotCache(AotCache)} still is.
     */
    public ChildJvm fastStart(boolean on) {
        this.fastStart = on;
        return this;
    }

    /** Hands each complete standard output line to {@code onLine} instead of printing it. */
    public ChildJvm onOutputLine(Consumer<String> onLine) {
        this.onLine = onLine;
        return this;
    }

    /** Also shows every piece of standard output to {@code observer} as it is relayed (it is still printed). */
    public ChildJvm watchOutput(Consumer<String> observer) {
        this.observer = observer;
        return this;
    }

    /** The full command line this child JVM would be started with now. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        if (cpus > 0 && TASKSET != null) {
            command.addAll(List.of(TASKSET, "-c", cpus == 1 ? "0" : "0-" + (cpus - 1)));
        }
        command.add(javaBinary());
        command.add("--enable-preview");
        if (fastStart) {
            command.addAll(FAST_START_OPTIONS);
            if (mainClass.equals("dev.jcn.helpers.timing.Hello")) {
                command.addAll(PRINT_AND_EXIT_OPTIONS);
            }
        }
        AotCache cache = aotCache != null ? aotCache : fastStart && useAotCache ? aotCache() : null;
        if (cache != null) {
            cache.makeInBackground();
            command.addAll(cache.jvmOptions());
        }
        if (cpus > 0) {
            command.add("-XX:ActiveProcessorCount=" + cpus);
        }
        // The relays decode UTF-8, whatever the locale says.
        command.add("-Dstdout.encoding=UTF-8");
        command.add("-Dstderr.encoding=UTF-8");
        command.addAll(jvmOptions);
        if (!selfWatching) {
            command.add("-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid());
        }
        command.add("-cp");
        command.add(classPath);
        if (!selfWatching && !SELF_WATCHING.contains(mainClass)) {
            command.add(ChildMain.class.getName());
        }
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts the child JVM. */
    public ChildProcess start() {
        return ChildProcess.start(command(), onLine, observer);
    }

    /** The {@code java} launcher of this JVM. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path, as a child JVM gets it. */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * The jar holding the helpers, when they run from one and this JVM's class path has it; else this JVM's
     * whole class path. The helpers' own start-up timer and pool workers run on it.
     */
    public static String helpersClassPath() {
        return HELPERS_JAR;
    }

    private static final String HELPERS_JAR = findHelpersJar();

    private static String findHelpersJar() {
        try {
            var source = ChildJvm.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path jar = Path.of(source.getLocation().toURI());
                if (java.nio.file.Files.isRegularFile(jar) && jar.toString().endsWith(".jar")
                        && classPathEntries(classPath()).stream().anyMatch(e -> samePath(e, jar))) {
                    return jar.toString();
                }
            }
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            // An unusual code source: the children get the whole class path, as other children do.
        }
        return classPath();
    }

    private static boolean samePath(String entry, Path jar) {
        try {
            return Path.of(entry).toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize());
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The class path entries, one per element. */
    static List<String> classPathEntries(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }
}
