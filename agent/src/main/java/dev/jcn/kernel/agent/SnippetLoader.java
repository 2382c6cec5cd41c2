package dev.jcn.kernel.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Defines the classes JShell compiles from snippets, and holds jars added by {@code %classpath} and
 * {@code %maven}.
 *
 * <pre>{@code
 * SnippetLoader loader = new SnippetLoader(CellClassPath.ofThisJvm());
 * JShell shell = JShell.builder().executionEngine(new CellExecutionControl.Provider(control), Map.of()).build();
 * Thread.currentThread().setContextClassLoader(loader.classLoader());
 * }</pre>
 *
 * <p>What snippets can load: the JDK and the {@link CellClassPath}, whose classes come first, except
 * that a class an added jar holds is taken from that jar unless the helpers expose it; never the
 * agent's classes, except {@link Cells}, which the stop checks woven into snippet code call. The
 * service files of a type loaded from an added jar come from the added jars alone, since
 * implementations on the cell class path implement the other copy of the type.
 *
 * <p>JShell recompiles the snippets that depend on a change (a redefined method or class, and
 * any snippet whose class file changed) and asks the engine to redefine their classes. Redefining a loaded class is beyond a
 * plain class loader, so JShell then gives the snippet a new class ({@code $JShell$11} becomes
 * {@code $JShell$11B}) without running it again: its variables would start over at null or zero.
 * So when a snippet's class is replaced, the new class takes over the values of the old class's
 * static fields that keep their name and their exact type. A variable whose type is a redefined
 * class gets a field of a different type and starts at null, as JShell reports. A declaration
 * the user writes again may get the same class name with a new version letter, but JShell runs
 * it, and {@link #runningAfresh} undoes the carry-over first: {@code int k;} after
 * {@code int k = 7;} is 0, as in JShell.
 */
final class SnippetLoader implements LoaderDelegate {

    private final Loader loader;
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    /** The current class of each snippet class, by its name without the version letters. */
    private final Map<String, Class<?>> versions = new ConcurrentHashMap<>();
    /** A snippet index and its version letters, as in {@code REPL.$JShell$11B_12$Inner}. */
    private static final Pattern VERSION = Pattern.compile("(\\d+)[A-Z]*(?=[_$]|$)");
    private static final String SNIPPET_CLASS = "REPL.$JShell$";
    /** Fields given old values since the last snippet ran, by the class that declares them. */
    private final Map<Class<?>, List<Field>> carried = new ConcurrentHashMap<>();

    SnippetLoader(CellClassPath cellClassPath) {
        this.loader = new Loader(cellClassPath);
    }

    /** The loader of snippet classes; its parent is the class path the user JVM started with. */
    ClassLoader classLoader() {
        return loader;
    }

    /**
     * The class file of {@code binaryName} if it is a snippet class or on the snippets' class
     * path, else null; for tools that read class files rather than load classes.
     */
    InputStream classBytes(String binaryName) {
        byte[] b = loader.bytes.get(binaryName);
        return b != null ? new ByteArrayInputStream(b) : loader.getResourceAsStream(binaryName.replace('.', '/') + ".class");
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) {
            loader.bytes.put(c.name(), c.bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                Class<?> c = loader.loadClass(classes[i].name());
                loaded.put(classes[i].name(), c);
                installed[i] = true;
                String unversioned = unversioned(classes[i].name());
                if (unversioned != null) {
                    Class<?> before = versions.put(unversioned, c);
                    if (before != null && before != c) {
                        carryOver(before, c);
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    /** The current class of the snippet whose class name without version letters is {@code unversioned}, or null. */
    Class<?> current(String unversioned) {
        return versions.get(unversioned);
    }

    /** Whether {@code className} names a class compiled from a cell (a snippet or a class inside one). */
    static boolean isSnippetClass(String className) {
        return className.startsWith(SNIPPET_CLASS);
    }

    /** {@code REPL.$JShell$11B$Inner} as {@code REPL.$JShell$11$Inner}; null for other classes. */
    static String unversioned(String name) {
        if (!name.startsWith(SNIPPET_CLASS)) {
            return null;
        }
        String rest = name.substring(SNIPPET_CLASS.length());
        int end = rest.indexOf('$');
        String outer = end < 0 ? rest : rest.substring(0, end);
        Matcher m = VERSION.matcher(outer);
        return SNIPPET_CLASS + m.replaceAll("$1") + (end < 0 ? "" : rest.substring(end));
    }

    /**
     * Copies the static fields of {@code from} that {@code to} declares with the same name and
     * type. Final fields belong to the class's own initialiser and are left alone.
     */
    private void carryOver(Class<?> from, Class<?> to) {
        List<Field> copied = new ArrayList<>();
        for (Field target : to.getDeclaredFields()) {
            int mod = target.getModifiers();
            if (!Modifier.isStatic(mod) || Modifier.isFinal(mod)) {
                continue;
            }
            try {
                Field source = from.getDeclaredField(target.getName());
                if (!Modifier.isStatic(source.getModifiers()) || source.getType() != target.getType()) {
                    continue;
                }
                source.setAccessible(true);
                target.setAccessible(true);
                target.set(null, source.get(null));
                copied.add(target);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // a field that cannot be carried over starts afresh, as JShell would have it
            }
        }
        if (!copied.isEmpty()) {
            carried.put(to, copied);
        }
    }

    /**
     * Call before JShell runs a snippet of class {@code c}: JShell runs only the snippet the user
     * wrote, which starts from default values (its initializer, if any, sets them). Forgets all
     * other carried-over fields, which keep their values.
     */
    void runningAfresh(Class<?> c) {
        List<Field> fields = carried.remove(c);
        carried.clear();
        if (fields == null) {
            return;
        }
        for (Field f : fields) {
            try {
                f.set(null, defaultValue(f.getType()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the field keeps the carried-over value
            }
        }
    }

    private static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0);
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.bytes.put(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                loader.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new InternalException("bad class path entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        return c != null ? c : loader.loadClass(name);
    }

    private static final class Loader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        /** The agent's packages, hidden from snippets. */
        private static final String AGENT = "dev.jcn.kernel.";
        private static final String SERVICES = "META-INF/services/";

        final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
        private final CellClassPath cellClassPath;
        private volatile boolean jarsAdded;

        Loader(CellClassPath cellClassPath) {
            super("snippets", new URL[0], ClassLoader.getSystemClassLoader());
            this.cellClassPath = cellClassPath;
        }

        void add(URL url) {
            addURL(url);
            jarsAdded = true;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(AGENT)) {
                if (name.equals(Cells.class.getName())) {
                    return Cells.class;
                }
                throw new ClassNotFoundException(name);
            }
            if (jarsAdded) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null && addedFirst(name.replace('.', '/') + ".class")) {
                        c = findClass(name);
                    }
                    if (c != null) {
                        if (resolve) {
                            resolveClass(c);
                        }
                        return c;
                    }
                }
            }
            return super.loadClass(name, resolve);
        }

        /** Whether the class file {@code path} is taken from an added jar rather than the cell class path. */
        private boolean addedFirst(String path) {
            if (findResource(path) == null) {
                return false;
            }
            URL shared = getParent().getResource(path);
            return shared == null || !cellClassPath.isExposed(shared);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(AGENT.replace('.', '/')) ? null : super.getResource(name);
        }

        @Override
        public java.util.Enumeration<URL> getResources(String name) throws java.io.IOException {
            if (name.startsWith(AGENT.replace('.', '/'))) {
                return java.util.Collections.emptyEnumeration();
            }
            if (jarsAdded && name.startsWith(SERVICES) && addedFirst(name.substring(SERVICES.length()).replace('.', '/') + ".class")) {
                return findResources(name);
            }
            return super.getResources(name);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytes.get(name);
            if (b != null) {
                return defineClass(name, b, 0, b.length);
            }
            return super.findClass(name);
        }
    }
}
