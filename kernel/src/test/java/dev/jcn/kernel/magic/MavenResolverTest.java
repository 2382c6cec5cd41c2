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
}
