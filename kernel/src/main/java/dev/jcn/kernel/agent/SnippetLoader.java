package dev.jcn.kernel.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Defines the classes JShell compiles from snippets, and holds jars added by {@code %classpath}.
 *
 * <pre>{@code
 * SnippetLoader loader = new SnippetLoader();
 * JShell shell = JShell.builder().executionEngine(new CellExecutionControl.Provider(loader, lock), Map.of()).build();
 * Thread.currentThread().setContextClassLoader(loader.classLoader());
 * }</pre>
 */
final class SnippetLoader implements LoaderDelegate {

    private final Loader loader = new Loader();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();

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
                loaded.put(classes[i].name(), loader.loadClass(classes[i].name()));
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load " + classes[i].name() + ": " + e, installed);
            }
        }
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

        final Map<String, byte[]> bytes = new ConcurrentHashMap<>();

        Loader() {
            super("snippets", new URL[0], ClassLoader.getSystemClassLoader());
        }

        void add(URL url) {
            addURL(url);
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
