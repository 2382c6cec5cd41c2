package dev.jcn.kernel.execution;

import dev.jcn.kernel.agent.AgentMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ahead-of-time cache (JDK 25, JEP 514/515) of what the user JVM loads and links while it
 * starts: JShell, the compiler, the agent. Made once per JDK, class path and JVM options by a
 * training run of the agent in the background, at the lowest CPU priority; later user JVMs start
 * from it (about twice as fast to their first cell).
 *
 * <pre>{@code
 * List<String> extra = AotCache.options(options, classPath);   // -XX:AOTCache=... once it exists
 * try (AotCache.Training t = AotCache.trainIfMissing(options, classPath)) { ... }
 * }</pre>
 *
 * <p>The JVM checks a cache against its class path and options and quietly ignores one that does
 * not match, so a stale file only costs the speed-up. Caches need a class path of jars only; with
 * class directories (as in tests) there is none. {@code -Djcn.kernel.aot=false} turns it off; the
 * files live in {@code $XDG_CACHE_HOME/jcn-kernel} (or {@code ~/.cache/jcn-kernel}).
 */
final class AotCache {

    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);
    private static final Duration STALE_LOCK = Duration.ofMinutes(10);
    private static final Duration KEEP_OLD = Duration.ofDays(7);

    private AotCache() {}

    /** The cache file for this JDK, class path and options, or empty when caching does not apply. */
    static Optional<Path> file(List<String> options, String classPath) {
        if (!Boolean.parseBoolean(System.getProperty("jcn.kernel.aot", "true"))) {
            return Optional.empty();
        }
        List<Path> entries = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (!e.endsWith(".jar") || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            entries.add(p);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((System.getProperty("java.home") + "\n" + Runtime.version() + "\n" + options + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (Path p : entries) {
                sha.update((p.toAbsolutePath() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String key = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            return Optional.of(directory().resolve("user-jvm-" + key + ".aot"));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static Path directory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jcn-kernel");
    }

    /** JVM options that use the cache, when it exists. */
    static List<String> options(List<String> options, String classPath) {
        return file(options, classPath).filter(Files::isRegularFile)
                .map(f -> List.of("-XX:AOTCache=" + f)).orElse(List.of());
    }

    /** A training run in progress; closing it kills it (and the cache assembler it may have started). */
    static final class Training implements AutoCloseable {
        private final Process process;

        private Training(Process process) {
            this.process = process;
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                List<ProcessHandle> tree = process.descendants().toList();
                process.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * Starts the training run unless the cache exists, caching does not apply, or another kernel is
     * training already. Returns a handle to stop it.
     */
    static Training trainIfMissing(List<String> options, String classPath) {
        Optional<Path> target = file(options, classPath);
        if (target.isEmpty() || Files.isRegularFile(target.get())) {
            return new Training(null);
        }
        Path cache = target.get();
        Path lock = cache.resolveSibling(cache.getFileName() + ".lock");
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try {
            Files.createDirectories(cache.getParent());
            removeOld(cache.getParent());
            if (Files.exists(lock) && Files.getLastModifiedTime(lock).toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
                Files.deleteIfExists(lock);
            }
            Files.createFile(lock);
        } catch (IOException e) {
            return new Training(null); // another kernel is at it, or the directory is not writable
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            command.addAll(List.of("/usr/bin/nice", "-n", "19"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-XX:AOTCacheOutput=" + partial);
        command.add("-cp");
        command.add(classPath);
        command.add(AgentMain.class.getName());
        command.add(AgentMain.TRAIN);
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            LOG.info("training the user JVM's AOT cache {} (pid {})", cache, p.pid());
            p.onExit().thenAccept(done -> finish(done, partial, cache, lock));
            return new Training(p);
        } catch (IOException e) {
            LOG.warn("cannot start the AOT training run", e);
            deleteQuietly(lock);
            return new Training(null);
        }
    }

    private static void finish(Process done, Path partial, Path cache, Path lock) {
        try {
            if (done.exitValue() == 0 && Files.isRegularFile(partial)) {
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("AOT cache ready: {}", cache);
            } else {
                LOG.info("AOT training ended with status {}; no cache", done.exitValue());
            }
        } catch (IOException e) {
            LOG.warn("cannot keep the AOT cache {}", cache, e);
        } finally {
            deleteQuietly(partial);
            deleteQuietly(Path.of(partial + ".config"));
            deleteQuietly(lock);
        }
    }

    private static void removeOld(Path dir) throws IOException {
        Instant limit = Instant.now().minus(KEEP_OLD);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("user-jvm-")).toList()) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(limit)) {
                    deleteQuietly(f);
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", p, e);
        }
    }

    /** Waits (bounded) for a training run to end; for tests and benchmarks. */
    static boolean await(Training t, long seconds) throws InterruptedException {
        return t.process == null || t.process.waitFor(seconds, TimeUnit.SECONDS);
    }
}
