package dev.jcn.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.ScopeDependencyFilter;

/**
 * Resolves Maven coordinates with their runtime dependencies from Maven Central into the local
 * repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}). Loaded only when
 * {@code %maven} runs, so the resolver costs nothing at kernel start.
 *
 * <pre>{@code
 * List<Path> jars = new MavenResolver().resolve(List.of("org.knowm.xchart:xchart:3.8.8"));
 * }</pre>
 */
final class MavenResolver {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static final String RUNTIME = "runtime";
    /** What a running program needs: a root's own test or provided dependencies are left out. */
    private static final DependencyFilter RUNTIME_ONLY = new ScopeDependencyFilter(null, List.of("test", "provided", "system"));

    private final Path localRepository;
    private final String remote;

    MavenResolver() {
        this(defaultLocalRepository(), CENTRAL);
    }

    MavenResolver(Path localRepository, String remote) {
        this.localRepository = localRepository;
        this.remote = remote;
    }

    /** The jars of {@code coordinates} and everything they need at run time. */
    List<Path> resolve(List<String> coordinates) throws MagicException {
        List<Dependency> roots = new ArrayList<>();
        for (String c : coordinates) {
            roots.add(new Dependency(artifact(c), RUNTIME));
        }
        try (RepositorySystem system = new RepositorySystemSupplier().get(); CloseableSession session = session(system)) {
            CollectRequest collect = new CollectRequest(roots, List.of(), List.of(central()));
            DependencyRequest request = new DependencyRequest(collect, RUNTIME_ONLY);
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(r.getArtifact().getPath());
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new MagicException("cannot resolve " + String.join(" ", coordinates) + ": " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new MagicException("Maven resolver failed: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Downloads the sources jar of each of {@code jars} (jars of the local repository) next to it, where
     * the user JVM reads the javadoc it shows; returns how many there are. Artifacts published without
     * sources are skipped.
     */
    int fetchSources(List<Path> jars) {
        List<ArtifactRequest> requests = new ArrayList<>();
        for (Path jar : jars) {
            DefaultArtifact a = inLocalRepository(jar);
            if (a != null) {
                requests.add(new ArtifactRequest(new DefaultArtifact(a.getGroupId(), a.getArtifactId(), "sources", "jar",
                        a.getVersion()), List.of(central()), null));
            }
        }
        if (requests.isEmpty()) {
            return 0;
        }
        try (RepositorySystem system = new RepositorySystemSupplier().get(); CloseableSession session = session(system)) {
            List<ArtifactResult> results;
            try {
                results = system.resolveArtifacts(session, requests);
            } catch (ArtifactResolutionException e) {
                results = e.getResults();
            }
            return (int) results.stream().filter(ArtifactResult::isResolved).count();
        } catch (RuntimeException e) {
            return 0; // no javadoc for these libraries; the cells go on without it
        }
    }

    /** The artifact of a jar laid out as the local repository lays them out, or null. */
    DefaultArtifact inLocalRepository(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        Path repo = localRepository.toAbsolutePath();
        if (dir == null || !dir.startsWith(repo) || repo.relativize(dir).getNameCount() < 3) {
            return null;
        }
        Path relative = repo.relativize(dir);
        String version = relative.getFileName().toString();
        String artifact = relative.getParent().getFileName().toString();
        if (!jar.getFileName().toString().equals(artifact + "-" + version + ".jar")) {
            return null;
        }
        String group = relative.getParent().getParent().toString().replace(relative.getFileSystem().getSeparator(), ".");
        return new DefaultArtifact(group, artifact, "jar", version);
    }

    private RemoteRepository central() {
        return new RemoteRepository.Builder("central", "default", remote).build();
    }

    private CloseableSession session(RepositorySystem system) {
        return new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setSystemProperties(System.getProperties())
                .build();
    }

    static DefaultArtifact artifact(String coordinates) throws MagicException {
        try {
            return new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new MagicException("bad Maven coordinates '" + coordinates + "': expected group:artifact:version");
        }
    }

    static Path defaultLocalRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
