package dev.jcn.kernel.agent;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * JShell's file manager with class-path look-ups that ask only the jars holding the package (by a
 * {@link PackageIndex}); jars the index does not know, and folders, are asked every time, in class path
 * order, as javac asks them. What a cell can see is the same; only the jars javac opens differ: javac's
 * own file manager opens and reads every jar of the class path at the first look-up.
 *
 * <pre>{@code
 * JShell.builder().fileManager(fm -> new PackageIndexedFileManager(fm, PackageIndex.read(file))).build();
 * }</pre>
 *
 * <p>Each class path entry is listed through a location of its own that names just that entry, so that
 * javac's file manager still reads it (multi-release jars, its own caching).
 */
final class PackageIndexedFileManager extends ForwardingJavaFileManager<StandardJavaFileManager>
        implements StandardJavaFileManager {

    private final PackageIndex index;
    /** The class path as javac's file manager holds it, with each entry's location; null until asked. */
    private volatile List<Entry> classPath;
    private final Map<Path, Location> locations = new ConcurrentHashMap<>();

    private record Entry(Path path, Location location, Set<String> packages, Set<String> services) {
        boolean mayHold(String packageName) {
            return packages == null || packages.contains(packageName);
        }

        boolean mayProvide(String service) {
            return services == null || services.contains(service);
        }
    }

    /** A location that names one class path entry. */
    private record EntryLocation(String getName) implements Location {
        @Override
        public boolean isOutputLocation() {
            return false;
        }
    }

    PackageIndexedFileManager(StandardJavaFileManager fileManager, PackageIndex index) {
        super(fileManager);
        this.index = index;
    }

    private List<Entry> classPath() throws IOException {
        List<Entry> entries = classPath;
        if (entries == null) {
            entries = new ArrayList<>();
            Iterable<? extends Path> paths = fileManager.getLocationAsPaths(StandardLocation.CLASS_PATH);
            for (Path p : paths == null ? List.<Path>of() : paths) {
                Location location = locations.get(p);
                if (location == null) {
                    location = new EntryLocation("CLASS_PATH entry " + p);
                    fileManager.setLocationFromPaths(location, List.of(p));
                    locations.put(p, location);
                }
                entries.add(new Entry(p, location, index.packages(p), index.services(p)));
            }
            classPath = entries;
        }
        return entries;
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse)
            throws IOException {
        if (location != StandardLocation.CLASS_PATH || recurse) {
            return super.list(location, packageName, kinds, recurse);
        }
        List<JavaFileObject> files = new ArrayList<>();
        for (Entry e : classPath()) {
            if (e.mayHold(packageName)) {
                fileManager.list(e.location(), packageName, kinds, false).forEach(files::add);
            }
        }
        return files;
    }

    @Override
    public JavaFileObject getJavaFileForInput(Location location, String className, JavaFileObject.Kind kind) throws IOException {
        if (location != StandardLocation.CLASS_PATH) {
            return super.getJavaFileForInput(location, className, kind);
        }
        int dot = className.lastIndexOf('.');
        String packageName = dot < 0 ? "" : className.substring(0, dot);
        for (Entry e : classPath()) {
            if (e.mayHold(packageName)) {
                JavaFileObject file = fileManager.getJavaFileForInput(e.location(), className, kind);
                if (file != null) {
                    return file;
                }
            }
        }
        return null;
    }

    @Override
    public FileObject getFileForInput(Location location, String packageName, String relativeName) throws IOException {
        if (location != StandardLocation.CLASS_PATH) {
            return super.getFileForInput(location, packageName, relativeName);
        }
        for (Entry e : classPath()) {
            if (e.mayHold(packageName)) {
                FileObject file = fileManager.getFileForInput(e.location(), packageName, relativeName);
                if (file != null) {
                    return file;
                }
            }
        }
        return null;
    }

    /** JShell adds jars ({@code %maven}, {@code %classpath}) with {@code -classpath} and the whole new path. */
    @Override
    public boolean handleOption(String current, java.util.Iterator<String> remaining) {
        boolean handled = super.handleOption(current, remaining);
        classPath = null;
        return handled;
    }

    /**
     * The class loader over the class path that javac looks for compiler plugins through, in every compilation
     * ({@code com.sun.source.util.Plugin} providers that start by themselves; JShell turns annotation processing
     * off). javac's own reads every jar's directory, and its parent, the application class loader, does the same
     * again. This one loads classes from the same class path with the JDK's loaders above it, and asks for a
     * service's providers only the jars the index says name that service, and every jar it does not know.
     */
    @Override
    public ClassLoader getClassLoader(Location location) {
        if (location != StandardLocation.CLASS_PATH) {
            return super.getClassLoader(location);
        }
        try {
            List<Entry> entries = classPath();
            URL[] urls = new URL[entries.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = entries.get(i).path().toUri().toURL();
            }
            return new ServiceIndexedLoader(urls, entries);
        } catch (IOException e) {
            return super.getClassLoader(location);
        }
    }

    private static final class ServiceIndexedLoader extends URLClassLoader {

        private static final String SERVICES = "META-INF/services/";
        private final List<Entry> entries;

        ServiceIndexedLoader(URL[] urls, List<Entry> entries) {
            super(urls, ClassLoader.getPlatformClassLoader());
            this.entries = entries;
        }

        @Override
        public Enumeration<URL> findResources(String name) throws IOException {
            if (!name.startsWith(SERVICES)) {
                return super.findResources(name);
            }
            String service = name.substring(SERVICES.length());
            List<URL> some = new ArrayList<>();
            for (Entry e : entries) {
                if (e.mayProvide(service)) {
                    some.add(e.path().toUri().toURL());
                }
            }
            if (some.isEmpty()) {
                return Collections.emptyEnumeration();
            }
            try (URLClassLoader those = new URLClassLoader(some.toArray(URL[]::new), null)) {
                return Collections.enumeration(Collections.list(those.findResources(name)));
            }
        }
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        return fileManager.isSameFile(a, b);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        fileManager.setLocation(location, files);
        classPath = null;
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationFromPaths(location, paths);
        classPath = null;
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationForModule(location, moduleName, paths);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return fileManager.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory f) {
        fileManager.setPathFactory(f);
    }
}
