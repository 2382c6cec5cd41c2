package dev.jcn.helpers.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Defines {@link CellTask} a second time in a class loader of its own, a child of the class path's, the way
 * JShell keeps the classes of notebook cells: same name, another class, which a member cannot load.
 */
final class CellLikeLoader extends ClassLoader {

    private CellLikeLoader() {
        super("cell", CellLikeLoader.class.getClassLoader());
    }

    static ClusterTask<?> newTask() throws ReflectiveOperationException {
        byte[] bytes;
        try (InputStream in = CellTask.class.getResourceAsStream("CellTask.class")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Class<?> type = new CellLikeLoader().defineClass(CellTask.class.getName(), bytes, 0, bytes.length);
        return (ClusterTask<?>) type.getDeclaredConstructor().newInstance();
    }
}
