package dev.jcn.kernel.magic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The coordinates ({@code group:artifact:version}) of the jars in the local Maven repository, for
 * completing {@code %maven}. Listing a repository of a thousand jars takes seconds on a cold disk, so
 * it is done in the background: the first completion starts it and offers nothing yet, later ones
 * offer what the last listing found and start a new listing when it is older than a minute.
 *
 * <pre>{@code
 * List<String> hits = LocalArtifacts.standard().complete("com.google.code.gson:g");   // gson 2.8.9, ...
 * }</pre>
 */
public final class LocalArtifacts {

    private static final long STALE_NANOS = 60_000_000_000L;
    private static final LocalArtifacts STANDARD = new LocalArtifacts(MavenResolver.defaultLocalRepository());

    private final Path repository;
    private final AtomicBoolean listing = new AtomicBoolean();
    private volatile List<String> known = List.of();
    private volatile long listedAt;

    LocalArtifacts(Path repository) {
        this.repository = repository;
    }

    /** The local repository that {@code %maven} resolves into. */
    public static LocalArtifacts standard() {
        return STANDARD;
    }

    /** Known coordinates that start with {@code typed}, sorted; starts a listing when needed. */
    public List<String> complete(String typed) {
        if ((listedAt == 0 || System.nanoTime() - listedAt > STALE_NANOS) && listing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("maven-local-listing").start(() -> {
                try {
                    listNow();
                } finally {
                    listing.set(false);
                }
            });
        }
        return known.stream().filter(c -> c.startsWith(typed)).toList();
    }

    /** Lists the repository now (on the calling thread) and returns what it holds. */
    List<String> listNow() {
        TreeSet<String> found = new TreeSet<>();
        if (Files.isDirectory(repository)) {
            try (Stream<Path> files = Files.walk(repository)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jar -> {
                    String coordinates = coordinates(jar);
                    if (coordinates != null) {
                        found.add(coordinates);
                    }
                });
            } catch (IOException | RuntimeException e) {
                // an unreadable corner of the repository completes nothing
            }
        }
        known = List.copyOf(found);
        listedAt = System.nanoTime();
        return known;
    }

    /** {@code group:artifact:version} of a main jar laid out as Maven lays them out, or null. */
    private String coordinates(Path jar) {
        Path relative = repository.relativize(jar);
        int n = relative.getNameCount();
        if (n < 4) {
            return null;
        }
        String version = relative.getName(n - 2).toString();
        String artifact = relative.getName(n - 3).toString();
        if (!jar.getFileName().toString().equals(artifact + "-" + version + ".jar")) {
            return null; // sources, javadoc and other classifiers
        }
        String group = relative.subpath(0, n - 3).toString().replace(relative.getFileSystem().getSeparator(), ".");
        return group + ":" + artifact + ":" + version;
    }
}
