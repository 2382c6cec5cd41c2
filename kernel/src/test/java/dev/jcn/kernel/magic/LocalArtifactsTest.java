package dev.jcn.kernel.magic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactsTest {

    @TempDir
    Path repository;

    private void file(String path) throws Exception {
        Path p = repository.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    @Test
    void mainJarsOfTheRepositoryAreListedAsCoordinates() throws Exception {
        file("com/google/code/gson/gson/2.8.9/gson-2.8.9.jar");
        file("com/google/code/gson/gson/2.8.9/gson-2.8.9-sources.jar");
        file("com/google/code/gson/gson/2.8.9/gson-2.8.9.pom");
        file("com/google/code/gson/gson/2.13.2/gson-2.13.2.jar");
        file("org/zeromq/jeromq/0.6.0/jeromq-0.6.0.jar");
        file("stray.jar");
        LocalArtifacts artifacts = new LocalArtifacts(repository);

        assertThat(artifacts.listNow()).containsExactly("com.google.code.gson:gson:2.13.2",
                "com.google.code.gson:gson:2.8.9", "org.zeromq:jeromq:0.6.0");
        assertThat(artifacts.complete("com.google.code.gson:gson:2.8")).isEqualTo(List.of("com.google.code.gson:gson:2.8.9"));
        assertThat(artifacts.complete("org.")).containsExactly("org.zeromq:jeromq:0.6.0");
    }

    @Test
    void aMissingRepositoryCompletesNothing() {
        assertThat(new LocalArtifacts(repository.resolve("none")).listNow()).isEmpty();
    }
}
