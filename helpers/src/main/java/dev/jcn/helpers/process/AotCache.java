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
import java.util.concurrent.CompletableFuture;
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
 * }</pre>
 *
 * <p>{@link ChildJvm} uses the cache when it is ready, and otherwise starts making it in the background and
 * runs the child without it; when the cache cannot be made (a class path directory instead of jars, an
 * older JDK) children simply start without it, with the JDK's default class-data sharing.
 */
public final class AotCache {

    private static final Map<String, AotCache> CACHES = new ConcurrentHashMap<>();

    private final String classPath;
    private final Path file;
    private volatile CompletableFuture<Boolean> making;
    private volatile String failure;

    private AotCache(String classPath, Path file) {
        this.classPath = classPath;
        this.file = file;
    }

    /** The cache for child JVMs on {@code classPath} with this JVM's {@code java} binary. */
    public static AotCache forClassPath(String classPath) {
        return CACHES.computeIfAbsent(classPath, cp -> new AotCache(cp, directory().resolve(key(cp) + ".aot")));
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
     * Makes the cache if needed and waits for it.
     *
     * @return true if the cache is ready; false if it cannot be made (see {@link #status()}) or took longer
     */
    public boolean prepare(Duration timeout) {
        if (isReady()) {
            return true;
        }
        try {
            return startMaking().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while making the AOT cache");
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** "ready: FILE", "being made", "not made yet" or "unavailable: REASON". */
    public String status() {
        if (isReady()) {
            return "ready: " + file;
        }
        if (failure != null) {
            return "unavailable: " + failure;
        }
        return making != null ? "being made" : "not made yet";
    }

    /** Why the cache cannot be made, once a try has failed. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Deletes the cache file, so the next {@link #prepare} makes it afresh. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + file + ": " + e.getMessage(), e);
        }
        making = null;
        failure = null;
    }

    /** The options that make a child JVM use the cache: empty (and making started) while it is not ready. */
    List<String> jvmOptions() {
        if (isReady()) {
            return List.of("-XX:AOTCache=" + file, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        if (failure == null) {
            startMaking();
        }
        return List.of();
    }

    private synchronized CompletableFuture<Boolean> startMaking() {
        if (making == null) {
            making = CompletableFuture.supplyAsync(this::make, r -> Thread.ofPlatform().daemon(true)
                    .name("aot-cache").start(r));
        }
        return making;
    }

    private boolean make() {
        for (String entry : ChildJvm.classPathEntries(classPath)) {
            if (Files.isDirectory(Path.of(entry))) {
                failure = "the class path has a directory (" + entry + "); the AOT cache needs jar files";
                return false;
            }
        }
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "--enable-preview"));
        command.addAll(ChildJvm.FAST_START_OPTIONS);
        command.addAll(List.of("-XX:AOTCacheOutput=" + temp, "-Xlog:aot=error", "-Xlog:cds=error",
                "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(),
                "-cp", classPath, AotTraining.class.getName()));
        try {
            Files.createDirectories(file.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                failure = "the training run took longer than 120 s";
                return false;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(temp)) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                failure = "the training run failed (exit " + process.exitValue() + "): "
                        + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
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
            failure = "interrupted";
            return false;
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // A leftover temporary file only wastes space; the next try overwrites it.
            }
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
}
