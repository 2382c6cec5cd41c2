package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellSessionTest {

    @TempDir
    Path dir;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void helperPackagesAreFoundInJarsAndDirectories() throws IOException {
        Path jar = jar("helpers.jar", "dev/jcn/helpers/primes/Primes.class", "dev/jcn/helpers/primes/Primes$1.class",
                "dev/jcn/helpers/pool/Pool.class", "dev/jcn/helpers/package-info.class", "org/other/X.class");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("dev/jcn/helpers/timing"));
        Files.createFile(classes.resolve("dev/jcn/helpers/timing/Stopwatch.class"));
        String cp = jar + File.pathSeparator + classes + File.pathSeparator + dir.resolve("missing.jar");
        assertThat(ShellSession.helperPackages(cp))
                .containsExactly("dev.jcn.helpers.pool", "dev.jcn.helpers.primes", "dev.jcn.helpers.timing");
    }

    @Test
    void defaultImportsEndWithTheDisplayFunctions() {
        assertThat(ShellSession.defaultImports()).startsWith("java.util.*", "java.util.concurrent.*")
                .endsWith(ShellSession.DISPLAY_IMPORT);
    }
}
