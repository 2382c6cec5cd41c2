package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void aClassPathOfJarsHasACacheThatDependsOnTheJarsAndOptions() throws IOException {
        Path a = Files.writeString(dir.resolve("a.jar"), "a");
        Path b = Files.writeString(dir.resolve("b.jar"), "b");
        String cp = a + File.pathSeparator + b;
        Path file = AotCache.file(List.of("-Xmx1g"), cp).orElseThrow();
        assertThat(file.getFileName().toString()).startsWith("user-jvm-").endsWith(".aot");
        assertThat(AotCache.file(List.of("-Xmx1g"), cp)).contains(file);
        assertThat(AotCache.file(List.of("-Xmx2g"), cp)).isNotEqualTo(AotCache.file(List.of("-Xmx1g"), cp));
        Files.writeString(b, "bigger");
        assertThat(AotCache.file(List.of("-Xmx1g"), cp)).isNotEqualTo(java.util.Optional.of(file));
    }

    @Test
    void classDirectoriesOrMissingJarsMeanNoCache() throws IOException {
        Path jar = Files.writeString(dir.resolve("a.jar"), "a");
        assertThat(AotCache.file(List.of(), jar + File.pathSeparator + dir)).isEmpty();
        assertThat(AotCache.file(List.of(), dir.resolve("missing.jar").toString())).isEmpty();
        assertThat(AotCache.options(List.of(), dir.toString())).isEmpty();
    }
}
