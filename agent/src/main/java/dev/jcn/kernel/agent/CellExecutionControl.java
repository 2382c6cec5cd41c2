package dev.jcn.kernel.agent;

import java.lang.classfile.ClassHierarchyResolver;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets in the thread that calls {@code JShell.eval}, in this JVM.
 *
 * <pre>{@code
 * JShell shell = JShell.builder().executionEngine(new CellExecutionControl.Provider(control), Map.of()).build();
 * }</pre>
 *
 * <p>Unlike the JDK's local engine it neither starts a thread per snippet nor waits for the
 * threads a snippet started, so background threads outlive their cell. Snippet classes are
 * woven with stop checks ({@link StopChecks}). While a cell's user code runs, the shell lock is
 * released so that completion and inspection can use the same JShell; it is taken back before
 * JShell resumes.
 * The last value is kept as an object, so that it can be rendered richly.
 */
final class CellExecutionControl extends DirectExecutionControl {

    private static final Object NO_VALUE = new Object();

    private final SnippetLoader loader;
    private final ReentrantLock shellLock;
    private final SnippetLines lines = new SnippetLines();
    private volatile boolean inUserCode;
    private volatile boolean forced;
    private Object lastValue = NO_VALUE;

    CellExecutionControl(SnippetLoader loader, ReentrantLock shellLock) {
        super(loader);
        this.loader = loader;
        this.shellLock = shellLock;
    }

    /** Where the classes of the next snippet come from in its cell, for a debugger. */
    SnippetLines lines() {
        return lines;
    }

    /** Forgets the last value; call before each snippet. */
    void clearValue() {
        lastValue = NO_VALUE;
    }

    /** Whether the last snippet produced a value. */
    boolean hasValue() {
        return lastValue != NO_VALUE;
    }

    Object value() {
        return lastValue;
    }

    /** Whether the last snippet was ended by a forced stop (rather than a stop check or an interrupt). */
    boolean takeForced() {
        boolean f = forced;
        forced = false;
        return f;
    }

    /** Whether the cell thread is inside snippet code (not inside JShell or the compiler). */
    boolean inUserCode() {
        return inUserCode;
    }

    @Override
    public void load(ClassBytecodes[] classes)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        Map<String, byte[]> batch = new HashMap<>();
        for (ClassBytecodes c : classes) {
            batch.put(c.name(), c.bytecodes());
        }
        ClassHierarchyResolver resolver = StopChecks.resolver(batch, loader::classBytes);
        super.load(Stream.of(classes)
                .map(c -> new ClassBytecodes(c.name(), lines.mark(c.name(), StopChecks.weave(c.bytecodes(), resolver))))
                .toArray(ClassBytecodes[]::new));
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        loader.runningAfresh(doit.getDeclaringClass());
        return valueString(runUserCode(() -> doit.invoke(null)));
    }

    @Override
    public String varValue(String className, String varName) throws RunException, InternalException {
        try {
            Field field = findClass(className).getDeclaredField(varName);
            field.setAccessible(true);
            lastValue = field.get(null);
            return valueString(lastValue);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new InternalException(e.toString());
        }
    }

    @Override
    public void stop() {
        // Interrupts go through Cells.stop, which targets one cell rather than every snippet.
    }

    private interface UserCode {
        Object run() throws Exception;
    }

    private Object runUserCode(UserCode code) throws Exception {
        // Only a cell's thread lets go of the shell while its code runs; JShell's own warm-up
        // snippets run briefly and keep it, so that they never overlap a cell.
        int holds = Cells.current() == 0 ? 0 : shellLock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            shellLock.unlock();
        }
        JitPriority.restore();
        inUserCode = true;
        try {
            Object value = code.run();
            lastValue = value;
            return value;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof CellStopped stopped) {
                forced = stopped == CellStopped.FORCED;
                throw new StoppedException();
            }
            throw e;
        } catch (CellStopped e) {
            forced = e == CellStopped.FORCED;
            throw new StoppedException();
        } finally {
            inUserCode = false;
            for (int i = 0; i < holds; i++) {
                shellLock.lock();
            }
        }
    }

    /** Hands JShell this engine. */
    static final class Provider implements ExecutionControlProvider {
        private final CellExecutionControl control;

        Provider(CellExecutionControl control) {
            this.control = control;
        }

        @Override
        public String name() {
            return "cells";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
