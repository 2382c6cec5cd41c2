package dev.jcn.kernel.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import jdk.jshell.JShell;

/**
 * Gives a JShell fresh compiler contexts. JShell reuses javac contexts from a pool; after a string
 * constant overflowed the class file's limit, javac's reused pool writer keeps the overflowing
 * string (it throws before resetting itself), so every later compilation in that context fails with
 * "UTF8 representation for string ... is too long for the constant pool". JShell has no public way
 * to drop the pool: its task factory's own {@code initTaskPool} is called reflectively, which the user
 * JVM allows with {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}.
 *
 * <pre>{@code
 * String problem = JShellCompiler.renew(shell);   // null when done
 * }</pre>
 */
final class JShellCompiler {

    private JShellCompiler() {}

    /** Replaces the compiler contexts of {@code shell}; returns why it could not, or null. */
    static String renew(JShell shell) {
        try {
            Field taskFactory = JShell.class.getDeclaredField("taskFactory");
            taskFactory.setAccessible(true);
            Object factory = taskFactory.get(shell);
            Method init = factory.getClass().getDeclaredMethod("initTaskPool");
            init.setAccessible(true);
            init.invoke(factory);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }
}
