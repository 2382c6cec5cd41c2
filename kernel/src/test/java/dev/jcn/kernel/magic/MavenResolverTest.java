package dev.jcn.kernel.magic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MavenResolverTest {

    @Test
    void coordinatesAreCheckedBeforeAnyDownload() throws Exception {
        assertThat(MavenResolver.artifact("org.knowm.xchart:xchart:3.8.8").getArtifactId()).isEqualTo("xchart");
        assertThatThrownBy(() -> MavenResolver.artifact("xchart")).isInstanceOf(MagicException.class)
                .hasMessage("bad Maven coordinates 'xchart': expected group:artifact:version");
    }

    @Test
    void resolvesAnArtifactWithItsTransitiveDependenciesFromTheLocalRepository() throws Exception {
        // The build itself put jeromq (which needs jnacl) into the local repository; a file:
        // remote keeps the test off the network while exercising the real resolver.
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository");
        MavenResolver resolver = new MavenResolver(local, local.toUri().toString());

        List<Path> jars = resolver.resolve(List.of("org.zeromq:jeromq:0.6.0"));

        assertThat(jars).extracting(p -> p.getFileName().toString()).contains("jeromq-0.6.0.jar", "jnacl-1.0.0.jar");
    }

    @Test
    void anArtifactThatDoesNotExistIsAOneLineError(@org.junit.jupiter.api.io.TempDir Path empty) {
        MavenResolver resolver = new MavenResolver(empty.resolve("local"), empty.toUri().toString());

        assertThatThrownBy(() -> resolver.resolve(List.of("dev.jcn:no-such-artifact:1.0")))
                .isInstanceOf(MagicException.class)
                .hasMessageStartingWith("cannot resolve dev.jcn:no-such-artifact:1.0")
                .hasMessageNotContaining("\n");
    }

    @Test
    void sourcesJarsArriveNextToTheJarsThatHaveThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path remote = dir.resolve("remote");
        Path local = dir.resolve("local");
        Path withSources = local.resolve("dev/jcn/demo/1.0/demo-1.0.jar");
        Path without = local.resolve("dev/jcn/bare/2.0/bare-2.0.jar");
        for (Path jar : List.of(withSources, without)) {
            java.nio.file.Files.createDirectories(jar.getParent());
            java.nio.file.Files.write(jar, new byte[] {1});
        }
        Path published = remote.resolve("dev/jcn/demo/1.0/demo-1.0-sources.jar");
        java.nio.file.Files.createDirectories(published.getParent());
        java.nio.file.Files.writeString(published, "sources");
        MavenResolver resolver = new MavenResolver(local, remote.toUri().toString());

        assertThat(resolver.inLocalRepository(withSources)).hasToString("dev.jcn:demo:jar:1.0");
        assertThat(resolver.inLocalRepository(dir.resolve("elsewhere/demo-1.0.jar"))).isNull();
        assertThat(resolver.fetchSources(List.of(withSources, without, dir.resolve("elsewhere.jar")))).isEqualTo(1);
        assertThat(withSources.resolveSibling("demo-1.0-sources.jar")).hasContent("sources");
        assertThat(without.resolveSibling("bare-2.0-sources.jar")).doesNotExist();
    }
}
