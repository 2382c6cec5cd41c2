package dev.jcn.helpers.process;

import dev.jcn.helpers.cluster.ClusterSettings;
import dev.jcn.helpers.cluster.MemberMain;
import dev.jcn.helpers.cluster.MemberTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AotCacheTest {

    @Test
    void aClassPathWithADirectoryCannotHaveACacheAndChildrenStartWithoutIt() {
        String classPath = ChildJvm.classPath();
        AotCache cache = AotCache.forClassPath(classPath);
        if (ChildJvm.classPathEntries(classPath).stream().anyMatch(e -> Files.isDirectory(Path.of(e)))) {
            assertThat(cache.prepare(Duration.ofSeconds(30))).isFalse();
            assertThat(cache.status()).startsWith("unavailable: the class path has a directory");
        }
        try (var child = ChildJvm.of(Sleeper.class).args("0").start()) {
            assertThat(child.waitFor(Duration.ofSeconds(20))).isTrue();
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void aJarClassPathGetsACacheThatChildrenUse(@TempDir Path dir) throws IOException {
        String classPath = jarClassPath(dir);
        AotCache cache = AotCache.forClassPath(classPath);
        cache.delete();
        assertThat(cache.prepare(Duration.ofSeconds(120))).as(cache.status()).isTrue();
        assertThat(cache.status()).startsWith("ready: ");
        ChildJvm jvm = ChildJvm.of(Sleeper.class).classPath(classPath).args("0");
        assertThat(jvm.command()).contains("-XX:AOTCache=" + cache.file());
        try (var child = jvm.start()) {
            assertThat(child.waitFor(Duration.ofSeconds(20))).isTrue();
            assertThat(child.exitCode()).isZero();
            assertThat(child.output()).anyMatch(l -> l.startsWith("[child] pid"));
        } finally {
            cache.delete();
        }
    }

    @Test
    void aChildStartedBeforeTheCacheExistsLeavesNoThreadOrProcessBehindAndTheCacheStillGetsMade(@TempDir Path dir)
            throws Exception {
        String classPath = jarClassPath(dir);
        AotCache cache = AotCache.forClassPath(classPath);
        cache.delete();
        Files.createDirectories(cache.file().getParent());
        try (WatchService watch = cache.file().getFileSystem().newWatchService()) {
            cache.file().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            try (var child = ChildJvm.of(Sleeper.class).classPath(classPath).args("0").start()) {
                assertThat(child.waitFor(Duration.ofSeconds(20))).isTrue();
                assertThat(child.exitCode()).isZero();
            }
            assertThat(cache.status()).isEqualTo("being made");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("aot"));
            assertThat(ProcessHandle.current().descendants())
                    .noneMatch(p -> p.info().commandLine().orElse("").contains(AotTraining.class.getName()));
            awaitReady(cache, watch);
            assertThat(cache.isReady()).as(cache.status()).isTrue();
            assertThat(ChildJvm.of(Sleeper.class).classPath(classPath).command()).contains("-XX:AOTCache=" + cache.file());
        } finally {
            cache.delete();
        }
    }

    @Test
    void aCacheAJvmDidNotMapIsMadeAfreshOnceAndThenNoLongerGiven(@TempDir Path dir) throws Exception {
        String classPath = jarClassPath(dir);
        AotCache cache = AotCache.forClassPath(classPath);
        cache.delete();
        Files.createDirectories(cache.file().getParent());
        ChildJvm jvm = ChildJvm.of(Sleeper.class).classPath(classPath).args("0");
        try (WatchService watch = cache.file().getFileSystem().newWatchService()) {
            cache.file().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            // A stale cache under the current name: the JVM is given it, starts without it and says so.
            Files.writeString(cache.file(), "not a cache");
            assertThat(jvm.command()).contains("-XX:AOTCache=" + cache.file());
            assertThat(vmInfo(jvm.command())).doesNotContain("sharing");
            cache.rejected("the test's JVM did not map it");
            assertThat(cache.status()).isEqualTo("being made");
            // A second JVM that found the same file stale does not make the cache give up.
            cache.rejected("a second JVM did not map the same file");
            assertThat(cache.status()).isEqualTo("being made");
            awaitReady(cache, watch);
            assertThat(cache.isReady()).as(cache.status()).isTrue();
            assertThat(vmInfo(jvm.command())).contains("sharing");
            // Made afresh and still not mapped: no JVM is given it or makes it again.
            Files.writeString(cache.file(), "not a cache either");
            cache.rejected("the test's JVM did not map the new one either");
            assertThat(cache.status()).startsWith("unavailable: made afresh and still not mapped");
            assertThat(jvm.command()).noneMatch(part -> part.startsWith("-XX:AOTCache"));
        } finally {
            cache.delete();
        }
    }

    /** {@code java.vm.info} of a JVM started as {@code command} starts, up to its class path: "sharing" when it maps an archive. */
    private static String vmInfo(List<String> command) throws Exception {
        List<String> probe = new ArrayList<>(command.subList(0, command.indexOf("-cp") + 2));
        probe.addAll(List.of("-XshowSettings:properties", "-version"));
        Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return lines.stream().filter(l -> l.strip().startsWith("java.vm.info")).findFirst().orElse("");
    }

    @Test
    void aChildWithModuleOptionsMapsOnlyACacheTrainedWithThem(@TempDir Path dir) throws Exception {
        String classPath = jarClassPath(dir);
        ChildJvm member = ChildJvm.of(MemberMain.class).classPath(classPath)
                .jvmOptions(ClusterSettings.MEMBER_JVM_OPTIONS).aotTraining(MemberTraining.class);
        AotCache own = member.aotCache();
        AotCache plain = AotCache.forClassPath(classPath);
        assertThat(own.file()).isNotEqualTo(plain.file());
        own.delete();
        plain.delete();
        try {
            assertThat(own.prepare(Duration.ofSeconds(180))).as(own.status()).isTrue();
            assertThat(plain.prepare(Duration.ofSeconds(180))).as(plain.status()).isTrue();
            assertThat(member.command()).contains("-XX:AOTCache=" + own.file());
            assertThat(aotErrors(member.command(), own)).isEmpty();
            // The helpers' default cache was made without the member's --add-opens and --add-modules.
            assertThat(aotErrors(member.command(), plain)).anyMatch(l -> l.contains("Mismatched values for property"));
        } finally {
            own.delete();
            plain.delete();
        }
    }

    /** What a JVM started like {@code command}, but with {@code cache} and AOT errors logged, says about it. */
    private static List<String> aotErrors(List<String> command, AotCache cache) throws Exception {
        List<String> probe = new ArrayList<>();
        for (String part : command) {
            if (part.startsWith("-XX:AOTCache=")) {
                probe.add("-XX:AOTCache=" + cache.file());
            } else if (!part.startsWith("-Xlog:aot") && !part.startsWith("-Xlog:cds")) {
                probe.add(part);
            }
        }
        // Before the class path: the JVM logs cache errors, then the member prints its options and ends.
        probe.add(probe.indexOf("-cp"), "-Xlog:aot=error");
        probe.add("--jvm-options");
        Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return lines.stream().filter(l -> l.contains("[aot]")).toList();
    }

    /** The helpers' compiled classes packed into a jar, with every jar of the test class path after it. */
    @Test
    void aNewCacheRemovesOtherBuildsOfTheSameJvmsButNoneARunningJvmUses(@TempDir Path dir) throws Exception {
        AotCache cache = AotCache.of("pruning", jarClassPath(dir), List.of("--enable-preview"), List.of(AotTraining.class.getName()));
        cache.delete();
        String name = cache.file().getFileName().toString();
        Path caches = cache.file().getParent();
        String sameJvms = name.substring(0, name.lastIndexOf('-') + 1);
        Path olderBuild = caches.resolve(sameJvms + "0123456789abcdef.aot");
        Path olderMarker = caches.resolve(olderBuild.getFileName() + ".failed");
        Path usedBuild = caches.resolve(sameJvms + "fedcba9876543210.aot");
        Path otherJvms = caches.resolve("pruning-00000000-0123456789abcdef.aot");
        Path unplaced = caches.resolve("pruning-0123456789abcdef01234567.aot");
        Path deadTraining = caches.resolve(name + ".2147483647-1f.tmp.config");
        Path liveTraining = caches.resolve(name + "." + ProcessHandle.current().pid() + "-1f.log");
        Path orphanMarker = caches.resolve("pruning-76543210fedcba9876543210.aot.rejected");
        List<Path> made = List.of(olderBuild, olderMarker, usedBuild, otherJvms, unplaced, deadTraining, liveTraining, orphanMarker);
        Files.createDirectories(caches);
        for (Path p : made) {
            Files.writeString(p, "x");
        }
        // a running program started with one of them (the shell stays, the sleep after it is not its last command)
        Process user = new ProcessBuilder("sh", "-c", "sleep 120; true", "sh", "-XX:AOTCache=" + usedBuild).start();
        try {
            assertThat(cache.prepare(Duration.ofSeconds(120))).as(cache.status()).isTrue();
            assertThat(olderBuild).doesNotExist();
            assertThat(olderMarker).doesNotExist();
            assertThat(unplaced).doesNotExist();
            assertThat(deadTraining).doesNotExist();
            assertThat(orphanMarker).doesNotExist();
            assertThat(usedBuild).exists();
            assertThat(otherJvms).exists();
            assertThat(liveTraining).exists();
            assertThat(cache.file()).exists();
        } finally {
            user.destroyForcibly();
            for (Path p : made) {
                Files.deleteIfExists(p);
            }
            cache.delete();
        }
    }

    private static String jarClassPath(Path dir) throws IOException {
        Path classes = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = dir.resolve("helpers.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        ChildJvm.classPathEntries(ChildJvm.classPath()).stream().filter(e -> e.endsWith(".jar")).forEach(entries::add);
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Waits (at most two minutes) for {@code cache} to be made, woken by changes in the directory {@code watch} watches. */
    private static void awaitReady(AotCache cache, WatchService watch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!cache.isReady() && System.nanoTime() < deadline) {
            WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (key == null) {
                return;
            }
            key.pollEvents();
            key.reset();
        }
    }
}
