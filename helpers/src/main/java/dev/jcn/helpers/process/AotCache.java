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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK 25 ahead-of-time cache (JEP 483/514) for child JVMs: classes already loaded and linked, so a
 * child JVM reaches its first output sooner. One cache per {@code java} binary and class path, made once
 * by a short training run and kept under {@code java.io.tmpdir/jcn-aot/}.
 *
 * <pre>{@code
 * AotCache cache = AotCache.forClassPath(ChildJvm.classPath());
 * cache.prepare(Duration.ofSeconds(60));     // true once the cache is ready
 * cache.status();                            // "ready: /tmp/jcn-aot/3f2a….aot" or why not
 * AotCache members = AotCache.forTraining(classPath, options, "dev.jcn.helpers.cluster.MemberTraining");
 * }</pre>
 *
 * <p>The default training ({@link AotTraining}) runs the helpers' own small children. Children that load much
 * else at start, such as cluster members, get a cache of their own with {@link #forTraining}: trained by their
 * own main class, with their own JVM options, since a cache made without a child's module options
 * ({@code --add-opens} and the like) cannot be mapped by it.
 *
 * <p>{@link ChildJvm} uses the cache when it is ready, and otherwise starts making it in a detached
 * training JVM (neither a thread nor a child process of this JVM, so nothing of it is left in a notebook
 * session) and runs the child without it; when the cache cannot be made (a class path directory instead of jars, an
 * older JDK) children simply start without it, with the JDK's default class-data sharing.
 */
public final class AotCache {

    private static final Map<String, AotCache> CACHES = new ConcurrentHashMap<>();

    private final String classPath;
    private final List<String> trainingOptions;
    private final String trainingMain;
    private final Path file;
    private volatile boolean making;
    private volatile String failure;

    private AotCache(String classPath, List<String> trainingOptions, String trainingMain, Path file) {
        this.classPath = classPath;
        this.trainingOptions = List.copyOf(trainingOptions);
        this.trainingMain = trainingMain;
        this.file = file;
    }

    /** The cache for child JVMs on {@code classPath} with this JVM's {@code java} binary. */
    public static AotCache forClassPath(String classPath) {
        return CACHES.computeIfAbsent(classPath, cp -> new AotCache(cp, List.of(), AotTraining.class.getName(),
                directory().resolve(key(cp) + ".aot")));
    }

    /**
     * The cache for child JVMs on {@code classPath} started with {@code jvmOptions}, made by running
     * {@code trainingMain} (standard input at its end) with those options; the main class should end within
     * a few seconds, and call {@link ChildMain#watchParent()} so that it ends with this JVM.
     */
    public static AotCache forTraining(String classPath, List<String> jvmOptions, String trainingMain) {
        String variant = String.join("\n", jvmOptions) + "\n" + trainingMain;
        return CACHES.computeIfAbsent(classPath + "\n" + variant, k -> new AotCache(classPath, jvmOptions,
                trainingMain, directory().resolve(key(classPath) + "-" + hash(variant) + ".aot")));
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
     * {@code timeout} for the training run. For this JVM's own class path it also makes the cache of
     * {@link ChildJvm#helpersClassPath()}, on which the helpers' start-up timer and pool workers run.
     *
     * @return true if the cache (and that second one) is ready; false if it cannot be made (see
     *         {@link #status()}) or took longer
     */
    public boolean prepare(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ready = prepareThis(timeout);
        // The helpers' own start-up timer and pool workers run on the helpers jar alone, with a cache of their
        // own: preparing the cache of this JVM's class path prepares theirs too.
        String helpers = ChildJvm.helpersClassPath();
        if (ready && isDefault() && classPath.equals(ChildJvm.classPath()) && !helpers.equals(classPath)) {
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

    /** Deletes the cache file, so the next {@link #prepare} makes it afresh. */
    public synchronized void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(failedMarker());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + file + ": " + e.getMessage(), e);
        }
        making = false;
        failure = null;
    }

    /**
     * The options that make a child JVM use the cache: empty while it is not ready, and then the first call
     * in this JVM starts the training run in the background.
     *
     * <p>That background run must not outlive the notebook cell as a thread or a child of this JVM: a
     * {@code sh} starts it detached ({@code &}) and exits at once, so the training JVM is adopted by the
     * init process, this JVM only reaps the {@code sh} (a few milliseconds, in the calling thread) and no
     * thread of this JVM waits for the training. The training JVM writes the cache under a temporary
     * name that the same {@code sh} renames when the run succeeded (an atomic move: a child never sees
     * half a cache), or leaves a {@code .failed} file with its output so that no JVM tries again.
     */
    List<String> jvmOptions() {
        if (isReady()) {
            return List.of("-XX:AOTCache=" + file, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        if (failure().isEmpty()) {
            startInBackground();
        }
        return List.of();
    }

    /**
     * The exit code of a training JVM halted because this JVM ended (see {@link ChildMain#watchParent()}): not
     * a failure of the training, so it leaves no {@code .failed} file and the next session tries again.
     */
    private static final int HALTED_WITH_PARENT = 143;

    private synchronized void startInBackground() {
        if (making) {
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

    private boolean isDefault() {
        return trainingMain.equals(AotTraining.class.getName()) && trainingOptions.isEmpty();
    }

    private List<String> trainingCommand(Path output) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "--enable-preview"));
        command.addAll(ChildJvm.FAST_START_OPTIONS);
        command.addAll(trainingOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + output, "-Xlog:aot=error", "-Xlog:cds=error",
                "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(),
                "-cp", classPath, trainingMain));
        if (isDefault() && classPath.equals(ChildJvm.helpersClassPath()) && !classPath.equals(ChildJvm.classPath())) {
            command.add(AotTraining.HELPERS_JAR_CHILDREN);
        }
        return command;
    }

    private Path temporary(String suffix) {
        return file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + suffix);
    }

    private Path failedMarker() {
        return file.resolveSibling(file.getFileName() + ".failed");
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
     * Every rebuilt jar gets a new cache of about 15 MB; only the most recent few are kept. A JVM started
     * with a cache deleted meanwhile starts without it.
     */
    private void pruneOldCaches() {
        try (var files = Files.list(file.getParent())) {
            List<Path> caches = files.filter(p -> p.getFileName().toString().endsWith(".aot"))
                    .sorted(java.util.Comparator.comparing(AotCache::lastModified).reversed()).toList();
            for (Path old : caches.subList(Math.min(KEPT_CACHES, caches.size()), caches.size())) {
                if (!old.equals(file)) {
                    Files.deleteIfExists(old);
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Pruning is housekeeping: a cache left behind only takes space.
        }
    }

    private static final int KEPT_CACHES = 6;

    private static java.nio.file.attribute.FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static Path directory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jcn-aot");
    }

    /** A file name that changes when the java binary, its version or any class path jar changes. */
    private static String key(String classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ChildJvm.javaBinary() + "\n" + Runtime.version() + "\n").getBytes(StandardCharsets.UTF_8));
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
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
