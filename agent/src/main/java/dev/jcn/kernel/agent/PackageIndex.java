package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.AgentLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which packages each jar of the cells' class path holds, kept in a file so that a new user JVM need
 * not open the jars to know. javac opens every jar of its class path the first time it looks up any
 * package there (JShell's own snippet package, or an import), reading each one's whole directory: with
 * the helpers' libraries (Hazelcast, fastutil, icu4j: some 40,000 entries) that is a good part of a cold
 * start. {@link PackageIndexedFileManager} asks only the jars that hold a package. It also keeps which
 * services each jar names providers of ({@code META-INF/services/}): javac looks for compiler plugins on
 * the class path in every compilation, and then need not open the jars that name none.
 *
 * <p>A jar counts as indexed only while its size and modification time are those written down with it:
 * any other jar, or one changed since, is looked at as before. The training run of the user JVM's start-up
 * cache writes the file, so every build that makes a new cache makes a new index.
 *
 * <pre>{@code
 * PackageIndex.write(Path.of("cell/packages.idx"), jars);
 * PackageIndex index = PackageIndex.read(Path.of("cell/packages.idx"));
 * index.packages(jar);   // {"dev.jcn.helpers.chart", ...}, or null when the jar is not indexed as it is now
 * index.services(jar);   // {"org.slf4j.spi.SLF4JServiceProvider"}: what its META-INF/services/ names
 * }</pre>
 */
final class PackageIndex {

    private static final String HEADER = "jcn package index 2";
    private static final String SERVICES = "META-INF/services/";

    private record Entry(long size, long modified, Set<String> packages, Set<String> services) {}

    private final Map<Path, Entry> jars;

    private PackageIndex(Map<Path, Entry> jars) {
        this.jars = jars;
    }

    /** The file that {@link AgentLaunch#PACKAGE_INDEX} names, if this JVM was given one. */
    static Optional<Path> file() {
        String name = System.getProperty(AgentLaunch.PACKAGE_INDEX, "");
        return name.isBlank() ? Optional.empty() : Optional.of(Path.of(name));
    }

    /**
     * This JVM's index (the file {@link #file} names), read once, by whichever thread asks first: the thread
     * building JShell and the one listing the default imports both need it at the start. Empty without one.
     */
    static PackageIndex ofThisJvm() {
        return ThisJvm.INDEX;
    }

    private static final class ThisJvm {
        static final PackageIndex INDEX = file().map(PackageIndex::read).orElseGet(() -> new PackageIndex(Map.of()));
    }

    /** The index in {@code file}; an empty one when the file is missing or not an index. */
    static PackageIndex read(Path file) {
        Map<Path, Entry> jars = new HashMap<>();
        try {
            // read at every start, before javac's first look-up: one string, and sets to ask, not to sort
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
            if (!lines[0].equals(HEADER)) {
                return new PackageIndex(Map.of());
            }
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t", -1);
                if (f.length == 5) {
                    Set<String> packages = new HashSet<>(Arrays.asList(f[3].split(" ", -1)));
                    Set<String> services = f[4].isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(f[4].split(" ")));
                    jars.put(Path.of(f[0]), new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), packages, services));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new PackageIndex(Map.of());
        }
        return new PackageIndex(jars);
    }

    /**
     * The packages (like {@code java.util}; the unnamed package is {@code ""}) that {@code jar} holds classes
     * or sources of, versioned ones of a multi-release jar included; null when the index does not know the
     * jar as it is now.
     */
    Set<String> packages(Path jar) {
        Entry e = current(jar);
        return e == null ? null : e.packages();
    }

    /**
     * The services that {@code jar} names providers of (its files under {@code META-INF/services/}, like
     * {@code com.sun.source.util.Plugin}); null when the index does not know the jar as it is now.
     */
    Set<String> services(Path jar) {
        Entry e = current(jar);
        return e == null ? null : e.services();
    }

    private Entry current(Path jar) {
        Entry e = jars.get(jar.toAbsolutePath().normalize());
        if (e == null) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            return a.size() == e.size() && a.lastModifiedTime().toMillis() == e.modified() ? e : null;
        } catch (IOException ex) {
            return null;
        }
    }

    /** Whether the index knows at least one jar. */
    boolean isEmpty() {
        return jars.isEmpty();
    }

    /**
     * Writes the index of the jars among {@code entries} to {@code file} (replacing it at once, so that a
     * JVM reading it meanwhile sees the old or the new one); entries that are not readable jars are left out.
     */
    static void write(Path file, List<Path> entries) throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (Path entry : entries) {
            Path jar = entry.toAbsolutePath().normalize();
            if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            Set<String> packages = new TreeSet<>();
            Set<String> services = new TreeSet<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.endsWith(".class") || name.endsWith(".java")) {
                        packages.add(packageOf(name));
                    } else if (name.startsWith(SERVICES) && name.length() > SERVICES.length() && name.indexOf('/', SERVICES.length()) < 0) {
                        services.add(name.substring(SERVICES.length()));
                    }
                }
            } catch (IOException e) {
                continue; // javac reads such a jar as it is
            }
            lines.add(jar + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis() + "\t" + String.join(" ", packages)
                    + "\t" + String.join(" ", services));
        }
        // not createTempFile, whose file only its owner may read: a shared install's index is read by all
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code a/b/C.class} and {@code META-INF/versions/11/a/b/C.class} are both in package {@code a.b}. */
    static String packageOf(String entryName) {
        String name = entryName;
        if (name.startsWith("META-INF/versions/")) {
            int slash = name.indexOf('/', "META-INF/versions/".length());
            name = slash < 0 ? name : name.substring(slash + 1);
        }
        int last = name.lastIndexOf('/');
        return last < 0 ? "" : name.substring(0, last).replace('/', '.');
    }
}
