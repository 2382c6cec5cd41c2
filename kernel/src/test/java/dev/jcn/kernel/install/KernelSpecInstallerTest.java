package dev.jcn.kernel.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.jcn.helpers.process.AotCache;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecInstallerTest {

    private static final Path JAVA = Path.of("/opt/jdk-25/bin/java");

    @Test
    void prefixInstallWritesKernelJsonAndLogos(@TempDir Path prefix) throws Exception {
        Path dir = new KernelSpecInstaller(Map.of()).install(new String[] {"--prefix", prefix.toString()}, JAVA, "/k/kernel.jar:/k/lib/*");

        assertThat(dir).isEqualTo(prefix.resolve("share/jupyter/kernels/java-concurrency"));
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertThat(spec.get("display_name").getAsString()).isEqualTo("Java 25 (concurrency)");
        assertThat(spec.get("language").getAsString()).isEqualTo("java");
        assertThat(spec.get("interrupt_mode").getAsString()).isEqualTo("message");
        var argv = spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertThat(argv.getFirst()).isEqualTo(JAVA.toString());
        assertThat(argv).contains("--enable-preview", "-Djava.awt.headless=true", "--sun-misc-unsafe-memory-access=allow");
        assertThat(argv.subList(argv.size() - 4, argv.size()))
                .containsExactly("-cp", "/k/kernel.jar:/k/lib/*", "dev.jcn.kernel.Main", "{connection_file}");
        assertThat(dir.resolve("logo-32x32.png")).isNotEmptyFile();
        assertThat(dir.resolve("logo-64x64.png")).isNotEmptyFile();
    }

    @Test
    void aKernelStartUpCacheReplacesTheDefaultClassDataOnlyWhenThereIsOne(@TempDir Path prefix) throws Exception {
        KernelSpecInstaller installer = new KernelSpecInstaller(Map.of());
        List<String> cache = List.of("-XX:AOTCache=/c/kernel-1.aot", "-Xlog:aot=off", "-Xlog:cds=off");
        Path with = installer.install(new String[] {"--prefix", prefix.resolve("a").toString()}, JAVA, "/k/kernel.jar", cache);
        Path without = installer.install(new String[] {"--prefix", prefix.resolve("b").toString()}, JAVA, "/k/kernel.jar", List.of());
        List<String> cached = argv(with);
        assertThat(cached).containsSubsequence(cache).doesNotContain("-Xshare:auto");
        assertThat(cached.subList(0, cached.indexOf(cache.getFirst()))).containsSubsequence("--enable-preview", "-XX:+UseSerialGC");
        assertThat(argv(without)).contains("-Xshare:auto").noneMatch(a -> a.startsWith("-XX:AOTCache"));
    }

    @Test
    void theKernelHasOneStartUpCachePerClassPath() {
        AotCache cache = KernelSpecInstaller.kernelCache("/k/kernel.jar");
        assertThat(cache.file().getFileName().toString()).startsWith("kernel-");
        assertThat(KernelSpecInstaller.kernelCache("/k/kernel.jar")).isSameAs(cache);
        assertThat(KernelSpecInstaller.kernelCache("/other/kernel.jar").file()).isNotEqualTo(cache.file());
    }

    private static List<String> argv(Path spec) throws Exception {
        JsonObject json = JsonParser.parseString(Files.readString(spec.resolve("kernel.json"))).getAsJsonObject();
        return json.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
    }

    @Test
    void userAndSysPrefixFollowTheEnvironmentAndNameIsConfigurable(@TempDir Path home) {
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", home.resolve("data").toString(), "VIRTUAL_ENV", home.resolve("venv").toString());
        KernelSpecInstaller installer = new KernelSpecInstaller(env);

        assertThat(installer.install(new String[] {"--user", "--name", "jc"}, JAVA, "cp"))
                .isEqualTo(home.resolve("data/kernels/jc"));
        assertThat(installer.install(new String[] {"--sys-prefix"}, JAVA, "cp"))
                .isEqualTo(home.resolve("venv/share/jupyter/kernels/java-concurrency"));
    }

    @Test
    void badArgumentsAreRefusedWithAReason() {
        KernelSpecInstaller installer = new KernelSpecInstaller(Map.of());

        assertThatThrownBy(() -> installer.install(new String[] {"--bogus"}, JAVA, "cp")).hasMessage("unknown argument --bogus");
        assertThatThrownBy(() -> installer.install(new String[] {"--prefix"}, JAVA, "cp")).hasMessage("--prefix needs a value");
        assertThatThrownBy(() -> installer.install(new String[] {"--user", "--prefix", "/x"}, JAVA, "cp")).hasMessageContaining("choose one");
        assertThatThrownBy(() -> installer.install(new String[] {"--sys-prefix"}, JAVA, "cp")).hasMessageContaining("CONDA_PREFIX");
        assertThatThrownBy(() -> installer.install(new String[] {"--prefix", "/tmp/x", "--name", "a b"}, JAVA, "cp"))
                .hasMessageContaining("kernel name");
    }

    @Test
    void theStartupCacheCanBeSkipped(@TempDir Path prefix) throws Exception {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            status = KernelSpecInstaller.run(new String[] {"--prefix", prefix.toString(), KernelSpecInstaller.NO_STARTUP_CACHE});
        } finally {
            System.setOut(saved);
        }
        assertThat(status).isZero();
        assertThat(prefix.resolve("share/jupyter/kernels/java-concurrency/kernel.json")).isNotEmptyFile();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("Installed kernelspec").doesNotContain("start-up cache");
    }
}
