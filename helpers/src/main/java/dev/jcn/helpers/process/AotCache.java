package dev.jcn.helpers.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK 25 ahead-of-time cache (JEP 483/514/515) of a kind of JVM: the classes it loads and links
 * as it starts, already loaded and linked, so it reaches its first output sooner. A cache is made once
 * per {@code java} binary, class path, JVM options and training run, by a short training JVM, and kept
 * under {@code $XDG_CACHE_HOME/jcn-aot} (or {@code ~/.cache/jcn-aot}). The helpers' child JVMs use
 * one ({@link #forClassPath}); the kernel's user JVM uses another, made by running the kernel's agent.
 *
 * <pre>{@code
 * AotCache cache = AotCache.forClassPath(ChildJvm.classPath());
 * cache.prepare(Duration.ofSeconds(60));     // true once the cache is ready
 * cache.status();                            // "ready: ~/.cache/jcn-aot/children-3f2a….aot" or why not
 * AotCache mine = AotCache.of("user-jvm", classPath, options, List.of("my.Main", "--train"));
 * AotCache members = AotCache.forTraining(classPath, options, "dev.jcn.helpers.cluster.MemberTraining");
 * }</pre>
 *
 * <p>The default training ({@link AotTraining}) runs the helpers' own small children. Children that load much
 * else at start, such as cluster members, get a cache of their own with {@link #forTraining}: trained by their
 * own main class, with their own JVM options, since a cache made without a child's module options
 * ({@code --add-opens} and the like) cannot be mapped by it.
 *
 * <p>{@link ChildJvm} uses the cache when it is ready, and otherwise starts making it in a detached
 * training JVM at the lowest CPU priority (neither a thread nor a child process of this JVM, so nothing
 * of it is left in a notebook session; it halts when this JVM ends) and runs the child without it. When
 * the cache cannot be made (a class path directory instead of jars, an older JDK) JVMs simply start
 * without it, with the JDK's default class-data sharing. The JVM checks a cache against its class path
 * and options and ignores one that does not match, so a stale file costs only the speed-up.
 */
public final class AotCache {

    private static final Map<String, AotCache> CACHES = new ConcurrentHashMap<>();

    /**
     * The exit code of a training JVM halted because the JVM that started it ended (see
     * {@link ChildMain#watchParent()}): not a failure of the training, so it leaves no {@code .failed}
     * file and the next session tries again.
     */
    private static final int HALTED_WITH_PARENT = 143;

    /**
     * Caches of a kind kept for other class paths or options (other checkouts of the project, debug mode);
     * those of other builds of the same JVMs go when a new one is made.
     */
    private static final int KEPT_CACHES = 6;
    private static final String USE_OPTION = "-XX:AOTCache=";
    /** After the kind: the JVMs' part of the name (class path, options, training) and the build's (jars, JDK). */
    private static final Pattern CACHE_NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{16}\\.aot");
    /** The names caches had before they told the JVMs' part from the build's. */
    private static final Pattern UNPLACED_NAME = Pattern.compile("[0-9a-f]{24}\\.aot");
    /** A training run's temporary files, named after the JVM that started it (see {@link #temporary}). */
    private static final Pattern TRAINING_FILE = Pattern.compile(".*\\.aot\\.(\\d+)-[0-9a-f]+\\.(tmp|log|tmp\\.config)");

    private final String kind;
    private final String classPath;
    private final List<String> jvmOptions;
    private final List<String> training;
    private final Path file;
    private volatile boolean making;
    private volatile String failure;

    private AotCache(String kind, String classPath, List<String> jvmOptions, List<String> training, Path file) {
        this.kind = kind;
        this.classPath = classPath;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.training = List.copyOf(training);
        this.file = file;
    }

    /**
     * The cache of the helpers' child JVMs on {@code classPath}: started with
     * {@link ChildJvm#FAST_START_OPTIONS}, trained by {@link AotTraining}.
     */
    public static AotCache forClassPath(String classPath) {
        List<String> training = new ArrayList<>(List.of(AotTraining.class.getName()));
        if (classPath.equals(ChildJvm.helpersClassPath()) && !classPath.equals(ChildJvm.classPath())) {
            training.add(AotTraining.HELPERS_JAR_CHILDREN);
        }
        List<String> options = new ArrayList<>(List.of("--enable-preview"));
        options.addAll(ChildJvm.FAST_START_OPTIONS);
        return of("children", classPath, options, training);
    }

    /**
     * The cache of JVMs that start with {@code jvmOptions} on {@code classPath}, made by running the main
     * class and arguments of {@code training} once with those options.
     *
     * @param kind a word naming the kind of JVM, the start of the file's name
     */
    public static AotCache of(String kind, String classPath, List<String> jvmOptions, List<String> training) {
        if (kind == null || !kind.matches("[a-z][a-z0-9-]*") || training.isEmpty()) {
            throw new IllegalArgumentException("an AOT cache needs a kind such as user-jvm and a training main class");
        }
        String name = kind + "-" + place(kind, classPath, jvmOptions, training) + "-" + key(kind, classPath, jvmOptions, training);
        return CACHES.computeIfAbsent(name, k -> new AotCache(kind, classPath, jvmOptions, training,
                directory().resolve(k + ".aot")));
    }

    /**
     * The cache for child JVMs on {@code classPath} started with {@code jvmOptions} (after
     * {@link ChildJvm#FAST_START_OPTIONS}), made by running {@code trainingMain} once with those options; the
     * main class should end within a few seconds.
     */
    public static AotCache forTraining(String classPath, List<String> jvmOptions, String trainingMain) {
        List<String> options = new ArrayList<>(List.of("--enable-preview"));
        options.addAll(ChildJvm.FAST_START_OPTIONS);
        options.addAll(jvmOptions);
        String simpleName = trainingMain.substring(trainingMain.lastIndexOf('.') + 1);
        return of("trained-" + simpleName.toLowerCase(java.util.Locale.ROOT), classPath, options, List.of(trainingMain));
    }

    /** The cache file (it may not exist yet). */
    public Path file() {
        return file;
    }

    /** Whether the cache file exists and can be used. */
    public boolean isReady() {
        return Files.isRegularFile(file);
    }

    /**
     * Makes the cache if needed, in the calling thread (no thread is started), and waits at most
     * {@code timeout} for the training run. For the helpers' children on this JVM's own class path it
     * also makes the cache of {@link ChildJvm#helpersClassPath()}, on which the helpers' start-up timer
     * and pool workers run.
     *
     * @return true if the cache (and that second one) is ready; false if it cannot be made (see
     *         {@link #status()}) or took longer
     */
    public boolean prepare(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ready = prepareThis(timeout);
        String helpers = ChildJvm.helpersClassPath();
        if (ready && equals(forClassPath(ChildJvm.classPath())) && !helpers.equals(classPath)) {
            long left = deadline - System.nanoTime();
            return forClassPath(helpers).prepareThis(Duration.ofNanos(Math.max(left, TimeUnit.SECONDS.toNanos(1))));
        }
        return ready;
    }

    private synchronized boolean prepareThis(Duration timeout) {
        if (isReady()) {
            return true;
        }
        String unusable = unusableClassPath();
        if (unusable != null) {
            failure = unusable;
            return false;
        }
        Path temp = temporary(".tmp");
        Path log = temporary(".log");
        try {
            Files.createDirectories(file.getParent());
            Process process = new ProcessBuilder(trainingCommand(temp))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                process.onExit().get(5, TimeUnit.SECONDS);
                return false;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(temp)) {
                failure = "the training run failed (exit " + process.exitValue() + "): " + excerpt(log);
                return false;
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            pruneOldCaches();
            return true;
        } catch (IOException e) {
            failure = "cannot run the training JVM: " + e.getMessage();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while making the AOT cache");
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } finally {
            deleteQuietly(temp);
            deleteQuietly(log);
            deleteQuietly(Path.of(temp + ".config"));
        }
    }

    /** "ready: FILE", "being made", "not made yet" or "unavailable: REASON". */
    public String status() {
        if (isReady()) {
            return "ready: " + file;
        }
        String why = failure().orElse(null);
        if (why != null) {
            return "unavailable: " + why;
        }
        return making ? "being made" : "not made yet";
    }

    /** Why the cache cannot be made, once a try has failed (here or in another JVM). */
    public Optional<String> failure() {
        if (failure == null && Files.isRegularFile(failedMarker())) {
            failure = "the training run failed: " + excerpt(failedMarker());
        }
        return Optional.ofNullable(failure);
    }

    /**
     * Tells that a JVM started with this cache did not map it: the JVM found it stale (made by another
     * build of the JDK, or for jars that changed without changing size or time) and started without it,
     * as every later JVM would. The cache is deleted and made afresh in the background; if a cache made
     * afresh is not mapped either, the cache is marked as failed with {@code why}, so that no JVM is given
     * it or tries to make it again.
     */
    public synchronized void rejected(String why) {
        Path marker = rejectedMarker();
        try {
            boolean rejectedBefore = Files.exists(marker);
            // Two JVMs that found the same file stale reject it once; a file made after the rejection is new.
            boolean madeAfresh = rejectedBefore && Files.exists(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(marker)) > 0;
            Files.deleteIfExists(file);
            if (madeAfresh) {
                making = false;
                failure = "made afresh and still not mapped: " + why;
                Files.writeString(failedMarker(), failure, StandardCharsets.UTF_8);
                return;
            }
            if (rejectedBefore) {
                return;
            }
            making = false;
            Files.writeString(marker, why, StandardCharsets.UTF_8);
        } catch (IOException e) {
            failure = "a stale cache could not be replaced: " + e.getMessage();
            return;
        }
        makeInBackground();
    }

    /** Tells that a JVM mapped this cache: a cache made afresh after {@link #rejected} works. */
    public void mapped() {
        deleteQuietly(rejectedMarker());
    }

    /** Deletes the cache file, so the next {@link #prepare} makes it afresh. */
    public synchronized void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(failedMarker());
            Files.deleteIfExists(rejectedMarker());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + file + ": " + e.getMessage(), e);
        }
        making = false;
        failure = null;
    }

    /** The options that make a JVM use the cache; empty while it is not ready. */
    public List<String> jvmOptions() {
        return isReady() ? List.of(USE_OPTION + file, "-Xlog:aot=off", "-Xlog:cds=off") : List.of();
    }

    /**
     * Starts making the cache in the background, unless it is ready, being made by this JVM, or known
     * to fail; returns at once.
     *
     * <p>That background run must not outlive the notebook cell as a thread or a child of this JVM: a
     * {@code sh} starts it detached ({@code &}) and exits at once, so the training JVM is adopted by the
     * init process, this JVM only reaps the {@code sh} (a few milliseconds, in the calling thread) and no
     * thread of this JVM waits for the training. It runs at the lowest CPU priority, so that it takes no
     * core from the JVMs it is for. The training JVM writes the cache under a temporary name that the same
     * {@code sh} renames when the run succeeded (an atomic move: a JVM never sees half a cache), or leaves
     * a {@code .failed} file with its output so that no JVM tries again.
     */
    public synchronized void makeInBackground() {
        if (making || isReady() || failure().isPresent()) {
            return;
        }
        making = true;
        String unusable = unusableClassPath();
        if (unusable != null) {
            failure = unusable;
            return;
        }
        Path temp = temporary(".tmp");
        Path log = temporary(".log");
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "( \"$@\" </dev/null >\"$JCN_AOT_LOG\" 2>&1; s=$?;"
                        + " if [ $s -eq 0 ] && mv -f \"$JCN_AOT_TMP\" \"$JCN_AOT_FILE\"; then :;"
                        + " elif [ $s -ne " + HALTED_WITH_PARENT + " ]; then mv -f \"$JCN_AOT_LOG\" \"$JCN_AOT_FAILED\"; fi;"
                        + " rm -f \"$JCN_AOT_TMP\" \"$JCN_AOT_TMP.config\" \"$JCN_AOT_LOG\" ) </dev/null >/dev/null 2>&1 &",
                "sh"));
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            command.addAll(List.of("/usr/bin/nice", "-n", "19"));
        }
        command.addAll(trainingCommand(temp));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JCN_AOT_LOG", log.toString());
        builder.environment().put("JCN_AOT_TMP", temp.toString());
        builder.environment().put("JCN_AOT_FILE", file.toString());
        builder.environment().put("JCN_AOT_FAILED", failedMarker().toString());
        try {
            Files.createDirectories(file.getParent());
            pruneOldCaches();
            Process shell = builder.start();
            // The shell only forks the training run and exits; reaping it here keeps it from lingering.
            if (!shell.waitFor(5, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
                failure = "the shell starting the training run did not exit";
            }
        } catch (IOException e) {
            failure = "cannot start the training JVM: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while starting the AOT training run");
        }
    }

    private String unusableClassPath() {
        for (String entry : ChildJvm.classPathEntries(classPath)) {
            if (Files.isDirectory(Path.of(entry))) {
                return "the class path has a directory (" + entry + "); the AOT cache needs jar files";
            }
        }
        return null;
    }

    /**
     * The training JVM: the cache's own options, then the recording, then its main class behind
     * {@link ChildMain}, which halts it when this JVM ends.
     */
    private List<String> trainingCommand(Path output) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + output, "-Xlog:aot=error", "-Xlog:cds=error",
                "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(), "-cp", classPath, ChildMain.class.getName()));
        command.addAll(training);
        return command;
    }

    private Path temporary(String suffix) {
        return file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + suffix);
    }

    private Path failedMarker() {
        return file.resolveSibling(file.getFileName() + ".failed");
    }

    private Path rejectedMarker() {
        return file.resolveSibling(file.getFileName() + ".rejected");
    }

    private static String excerpt(Path text) {
        try {
            String s = Files.readString(text, StandardCharsets.UTF_8).strip();
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover temporary file only wastes space.
        }
    }

    /**
     * Removes what this cache makes useless, except files a running JVM was started with: the caches of other
     * builds of the same JVMs (same kind, class path, options and training, other jars or JDK), which no JVM
     * of this build can map, the temporary files of training runs whose JVM has ended, and of the caches of
     * other class paths or options (other checkouts, debug mode) all but the {@value #KEPT_CACHES} most recent.
     */
    private void pruneOldCaches() {
        String name = file.getFileName().toString();
        String sameJvms = name.substring(0, name.lastIndexOf('-') + 1);
        try (var files = Files.list(file.getParent())) {
            Set<Path> inUse = cachesInUse();
            List<Path> others = new ArrayList<>();
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(kind + "-")).toList()) {
                String n = p.getFileName().toString();
                Matcher leftover = TRAINING_FILE.matcher(n);
                if (leftover.matches()) {
                    if (ProcessHandle.of(Long.parseLong(leftover.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    Files.deleteIfExists(p);
                } else if (n.endsWith(".aot.failed") || n.endsWith(".aot.rejected")) {
                    Path cache = p.resolveSibling(n.substring(0, n.lastIndexOf('.')));
                    String rest = cache.getFileName().toString().substring(kind.length() + 1);
                    if (!cache.equals(file) && !Files.exists(cache) && (cache.getFileName().toString().startsWith(sameJvms)
                            || UNPLACED_NAME.matcher(rest).matches())) {
                        Files.deleteIfExists(p); // what it said of a cache that is gone
                    }
                } else if (n.endsWith(".aot") && !p.equals(file) && !inUse.contains(p)) {
                    String rest = n.substring(kind.length() + 1);
                    if (n.startsWith(sameJvms) || UNPLACED_NAME.matcher(rest).matches()) {
                        deleteWithMarkers(p); // another build of these JVMs, or named before names told the JVMs apart
                    } else if (CACHE_NAME.matcher(rest).matches()) {
                        others.add(p);
                    }
                }
            }
            others.sort(java.util.Comparator.comparing(AotCache::lastModified).reversed());
            for (Path old : others.subList(Math.min(KEPT_CACHES, others.size()), others.size())) {
                deleteWithMarkers(old);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Pruning is housekeeping: a cache left behind only takes space.
        }
    }

    private static void deleteWithMarkers(Path cache) throws IOException {
        Files.deleteIfExists(cache);
        Files.deleteIfExists(cache.resolveSibling(cache.getFileName() + ".failed"));
        Files.deleteIfExists(cache.resolveSibling(cache.getFileName() + ".rejected"));
    }

    /** The cache files that running JVMs of this user were started with ({@code -XX:AOTCache=FILE}). */
    private static Set<Path> cachesInUse() {
        Set<Path> files = new HashSet<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().arguments().ifPresent(args -> {
            for (String a : args) {
                if (a.startsWith(USE_OPTION)) {
                    files.add(Path.of(a.substring(USE_OPTION.length())));
                }
            }
        }));
        return files;
    }

    private static java.nio.file.attribute.FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static Path directory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jcn-aot");
    }

    /** The JVMs a cache is for, whatever their build: the java binary, kind, class path, options and training. */
    private static String place(String kind, String classPath, List<String> jvmOptions, List<String> training) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ChildJvm.javaBinary() + "\n" + kind + "\n" + classPath + "\n" + jvmOptions + "\n" + training)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * A name that changes when the java binary, its version, the options, the training run or any
     * class path jar changes.
     */
    private static String key(String kind, String classPath, List<String> jvmOptions, List<String> training) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ChildJvm.javaBinary() + "\n" + Runtime.version() + "\n" + kind + "\n" + jvmOptions + "\n" + training + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : ChildJvm.classPathEntries(classPath)) {
                Path path = Path.of(entry);
                String stamp = entry;
                try {
                    stamp += ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis();
                } catch (IOException missing) {
                    stamp += ":missing";
                }
                digest.update((stamp + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AotCache[" + kind + ", " + status() + "]";
    }
}
