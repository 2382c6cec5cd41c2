package dev.jcn.helpers.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Turns a task into bytes on the client and back into a task on a member, with a one-line reason when either
 * side cannot: Java serialisation, resolving classes through the class path (the loader that holds the
 * helpers), which is what a member in another JVM has too.
 */
final class TaskCodec {

    private static final ClassLoader CLASS_PATH = TaskCodec.class.getClassLoader();

    private TaskCodec() {
    }

    /**
     * The task's bytes.
     *
     * @throws IllegalArgumentException if members could not load the task's class (it was defined in a
     *                                  notebook cell, or added with {@code %maven}/{@code %classpath}) or it
     *                                  does not serialise
     */
    static byte[] encode(ClusterTask<?> task) {
        if (task == null) {
            throw new IllegalArgumentException("the task is null");
        }
        Class<?> type = task.getClass();
        if (!onClassPath(type)) {
            throw new IllegalArgumentException("task class " + type.getName() + " is not on the class path (it was"
                    + " defined in a cell or added with %maven/%classpath), so cluster members cannot load it: use"
                    + " a task type shipped with the helpers, e.g. PrimeCheck, or put it in a jar on every"
                    + " member's class path");
        }
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("task " + task.name() + " holds a " + e.getMessage()
                    + ", which is not serialisable, so it cannot be sent to a member");
        } catch (IOException e) {
            throw new IllegalArgumentException("task " + task.name() + " cannot be serialised: " + e.getMessage());
        }
        return bytes.toByteArray();
    }

    /** Whether {@code type} is the class of that name on the class path (not one from a cell's loader). */
    static boolean onClassPath(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, CLASS_PATH) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Thrown on a member that cannot rebuild a task; the message is one line. */
    static final class Unloadable extends Exception {
        Unloadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The task, rebuilt from {@code bytes} on a member. */
    static ClusterTask<?> decode(String className, byte[] bytes, String member) throws Unloadable {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws ClassNotFoundException {
                return Class.forName(desc.getName(), false, CLASS_PATH);
            }
        }) {
            return (ClusterTask<?>) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new Unloadable("member " + member + " cannot load task class " + e.getMessage()
                    + ": it is not on the member's class path");
        } catch (InvalidClassException e) {
            throw new Unloadable("member " + member + " has another version of task class " + className
                    + " (" + e.getMessage() + ")");
        } catch (IOException | ClassCastException e) {
            throw new Unloadable("member " + member + " cannot read task " + className + ": " + e);
        }
    }
}
