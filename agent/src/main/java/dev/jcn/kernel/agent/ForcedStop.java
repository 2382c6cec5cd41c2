package dev.jcn.kernel.agent;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Throws {@link CellStopped#FORCED} into another thread, whatever it is doing: a loop
 * inside library code, {@code lock.lock()}, a blocking call. This is the forced stop of an
 * interrupt, for threads that neither reach a woven stop check nor react to {@code Thread.interrupt()}.
 *
 * <pre>{@code
 * if (ForcedStop.available()) {
 *     ForcedStop.stop(stuckThread);
 * }
 * }</pre>
 *
 * <p>{@code Thread.stop} is gone since JDK 20, but the JVM tool interface still has
 * {@code StopThread}. A JVMTI environment can be had in a running JVM through the invocation
 * interface ({@code JNI_GetCreatedJavaVMs}, then {@code GetEnv}), which we call with the foreign
 * function API; it costs nothing until it is used. Needs {@code --enable-native-access=ALL-UNNAMED}
 * to run without a warning. HotSpot gives {@code can_suspend}, which stopping a virtual thread needs,
 * to one environment at a time: in a user JVM started in debug mode the JDWP agent has it, so there
 * virtual threads are left to the kernel, which stops them through its debug connection.
 *
 * <p>JNI local references made by a downcall stay valid only until this thread next runs a JNI
 * native method; so every method handle and every native string is prepared beforehand, and the
 * calls that pass references along follow each other with nothing but downcalls in between.
 */
@SuppressWarnings("restricted") // native access is the point; the user JVM enables it explicitly
public final class ForcedStop {

    /** How long a stop waits for a thread to finish initialising a class (see {@link #stop}). */
    private static final long CLASS_INIT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int JVMTI_VERSION_1_2 = 0x30010200;
    private static final int JNI_VERSION_1_8 = 0x00010008;
    private static final int CAN_SIGNAL_THREAD = 1 << 10;
    private static final int JVMTI_ERROR_NOT_AVAILABLE = 98;
    // in the first and second 32-bit words of jvmtiCapabilities
    private static final int CAN_SUSPEND = 1 << 20;
    private static final int CAN_SUPPORT_VIRTUAL_THREADS = 1 << (44 - 32);
    // indexes into the JNI, JVMTI and invocation function tables (jni.h, jvmti.h)
    private static final int INVOKE_GET_ENV = 6;
    private static final int JVMTI_SUSPEND_THREAD = 4;
    private static final int JVMTI_RESUME_THREAD = 5;
    private static final int JVMTI_STOP_THREAD = 6;
    private static final int JVMTI_GET_THREAD_STATE = 16;
    private static final int JVMTI_ADD_CAPABILITIES = 141;
    private static final int JNI_FIND_CLASS = 6;
    private static final int JNI_EXCEPTION_CLEAR = 17;
    private static final int JNI_NEW_GLOBAL_REF = 21;
    private static final int JNI_DELETE_GLOBAL_REF = 22;
    private static final int JNI_DELETE_LOCAL_REF = 23;
    private static final int JNI_GET_METHOD_ID = 33;
    private static final int JNI_CALL_OBJECT_METHOD_A = 36;
    private static final int JNI_GET_STATIC_METHOD_ID = 113;
    private static final int JNI_CALL_STATIC_OBJECT_METHOD_A = 116;
    private static final int JNI_GET_STATIC_FIELD_ID = 144;
    private static final int JNI_GET_STATIC_OBJECT_FIELD = 145;
    private static final int JNI_NEW_STRING_UTF = 167;
    private static final int JNI_EXCEPTION_CHECK = 228;

    /** What the native side reads: JNI hands JVMTI only objects it can reach, here through fields. */
    private static volatile Thread target;
    private static volatile Throwable error;

    private static final Linker LINKER = Linker.nativeLinker();
    // downcall handles taking the function address first, by signature
    private static final MethodHandle INT_PPI = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle INT_PP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle INT_PPP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle P_PP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle P_PPP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle P_PPPP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle VOID_P = handle(FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle VOID_PP = handle(FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    private static final MethodHandle BOOL_P = handle(FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));

    private static final MemorySegment VM;
    private static final MemorySegment JVMTI;
    private static final MemorySegment STOP_THREAD;
    private static final MemorySegment SUSPEND_THREAD;
    private static final MemorySegment RESUME_THREAD;
    /** Whether the capabilities for virtual threads were added: only on their first forced stop. */
    private static boolean virtualReady;
    /**
     * The virtual threads this JVM could not suspend to stop them: HotSpot lets one JVMTI environment
     * at a time hold {@code can_suspend}, and in debug mode the JDWP agent has it. The kernel stops them through its
     * debug connection to that agent; read by the kernel, never by code here.
     */
    @SuppressWarnings("unused")
    private static volatile Thread[] forDebugger = new Thread[0];
    /** What the kernel throws into them. */
    @SuppressWarnings("unused")
    private static final CellStopped FOR_DEBUGGER_ERROR = CellStopped.FORCED;
    private static final MemorySegment GET_ENV;
    private static final MemorySegment[] JNI = new MemorySegment[JNI_EXCEPTION_CHECK + 1];
    /** Global reference to this class, and the ids of its two fields. */
    private static final MemorySegment SELF;
    private static final MemorySegment TARGET_FIELD;
    private static final MemorySegment ERROR_FIELD;
    private static final String PROBLEM;

    static {
        MemorySegment vm = MemorySegment.NULL, jvmti = MemorySegment.NULL, stopThread = MemorySegment.NULL;
        MemorySegment suspendThread = MemorySegment.NULL, resumeThread = MemorySegment.NULL;
        MemorySegment getEnv = MemorySegment.NULL, self = MemorySegment.NULL;
        MemorySegment targetField = MemorySegment.NULL, errorField = MemorySegment.NULL;
        String problem = null;
        try {
            Path lib = Path.of(System.getProperty("java.home"), "lib", "server", System.mapLibraryName("jvm"));
            if (!Files.exists(lib)) {
                throw new IllegalStateException("no " + lib);
            }
            SymbolLookup jvm = SymbolLookup.libraryLookup(lib, Arena.global());
            MemorySegment created = jvm.find("JNI_GetCreatedJavaVMs").orElseThrow();
            Arena arena = Arena.global();
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment count = arena.allocate(JAVA_INT);
            int rc = (int) handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)).invokeExact(created, out, 1, count);
            if (rc != 0 || count.get(JAVA_INT, 0) < 1) {
                throw new IllegalStateException("JNI_GetCreatedJavaVMs failed: " + rc);
            }
            vm = out.get(ADDRESS, 0).reinterpret(ADDRESS.byteSize());
            getEnv = function(vm, INVOKE_GET_ENV);
            rc = (int) INT_PPI.invokeExact(getEnv, vm, out, JVMTI_VERSION_1_2);
            if (rc != 0) {
                throw new IllegalStateException("GetEnv(JVMTI) failed: " + rc);
            }
            jvmti = out.get(ADDRESS, 0).reinterpret(ADDRESS.byteSize());
            MemorySegment caps = arena.allocate(16);
            caps.set(JAVA_INT, 0, CAN_SIGNAL_THREAD);
            rc = (int) INT_PP.invokeExact(function(jvmti, JVMTI_ADD_CAPABILITIES), jvmti, caps);
            if (rc != 0) {
                throw new IllegalStateException("JVMTI AddCapabilities(can_signal_thread) failed: " + rc);
            }
            stopThread = function(jvmti, JVMTI_STOP_THREAD);
            suspendThread = function(jvmti, JVMTI_SUSPEND_THREAD);
            resumeThread = function(jvmti, JVMTI_RESUME_THREAD);
            MemorySegment env = jniEnv(getEnv, vm, out);
            for (int i = 0; i < JNI.length; i++) {
                JNI[i] = function(env, i);
            }
            // Native strings first: allocating must not happen while a local reference is in flight.
            MemorySegment objectName = arena.allocateFrom("java/lang/Object");
            MemorySegment hashCode = arena.allocateFrom("hashCode");
            MemorySegment intSig = arena.allocateFrom("()I");
            MemorySegment loaderName = arena.allocateFrom("java/lang/ClassLoader");
            MemorySegment systemLoader = arena.allocateFrom("getSystemClassLoader");
            MemorySegment systemLoaderSig = arena.allocateFrom("()Ljava/lang/ClassLoader;");
            MemorySegment loadClass = arena.allocateFrom("loadClass");
            MemorySegment loadClassSig = arena.allocateFrom("(Ljava/lang/String;)Ljava/lang/Class;");
            MemorySegment selfName = arena.allocateFrom(ForcedStop.class.getName());
            MemorySegment targetName = arena.allocateFrom("target");
            MemorySegment threadSig = arena.allocateFrom("Ljava/lang/Thread;");
            MemorySegment errorName = arena.allocateFrom("error");
            MemorySegment throwableSig = arena.allocateFrom("Ljava/lang/Throwable;");
            MemorySegment args = arena.allocate(ADDRESS);
            MemorySegment state = arena.allocate(JAVA_INT);
            // Link every call shape once with harmless arguments, before any reference is in flight:
            // the first call through a shape may run JNI native methods, which drop local references.
            MemorySegment nothing = (MemorySegment) P_PP.invokeExact(JNI[JNI_NEW_GLOBAL_REF], env, MemorySegment.NULL);
            VOID_PP.invokeExact(JNI[JNI_DELETE_LOCAL_REF], env, MemorySegment.NULL);
            rc = (int) INT_PPP.invokeExact(function(jvmti, JVMTI_GET_THREAD_STATE), jvmti, MemorySegment.NULL, state);
            MemorySegment object = global(env, (MemorySegment) P_PP.invokeExact(JNI[JNI_FIND_CLASS], env, objectName));
            MemorySegment hash = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_METHOD_ID], env, object, hashCode, intSig);
            clearException(env);
            // Each reference a call returns is made global by the very next call.
            // FindClass from here would search the boot loader only: ask the system loader instead.
            MemorySegment loaderClass = global(env, (MemorySegment) P_PP.invokeExact(JNI[JNI_FIND_CLASS], env, loaderName));
            MemorySegment getLoader = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_STATIC_METHOD_ID], env, loaderClass, systemLoader, systemLoaderSig);
            MemorySegment loader = global(env, (MemorySegment) P_PPPP.invokeExact(JNI[JNI_CALL_STATIC_OBJECT_METHOD_A], env, loaderClass, getLoader, MemorySegment.NULL));
            MemorySegment load = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_METHOD_ID], env, loaderClass, loadClass, loadClassSig);
            MemorySegment name = global(env, (MemorySegment) P_PP.invokeExact(JNI[JNI_NEW_STRING_UTF], env, selfName));
            args.set(ADDRESS, 0, name);
            self = global(env, (MemorySegment) P_PPPP.invokeExact(JNI[JNI_CALL_OBJECT_METHOD_A], env, loader, load, args));
            if (clearException(env) || self.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("JNI could not load " + ForcedStop.class.getName());
            }
            targetField = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_STATIC_FIELD_ID], env, self, targetName, threadSig);
            errorField = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_STATIC_FIELD_ID], env, self, errorName, throwableSig);
            if (clearException(env) || targetField.equals(MemorySegment.NULL) || errorField.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("JNI could not find the fields of " + ForcedStop.class.getName());
            }
            // with target null this returns null: it links the shape stop() uses
            MemorySegment unused = (MemorySegment) P_PPP.invokeExact(JNI[JNI_GET_STATIC_OBJECT_FIELD], env, self, targetField);
            for (MemorySegment ref : new MemorySegment[] {object, loaderClass, loader, name}) {
                VOID_PP.invokeExact(JNI[JNI_DELETE_GLOBAL_REF], env, ref);
            }
            if (!nothing.equals(MemorySegment.NULL) || hash.equals(MemorySegment.NULL) || !unused.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("unexpected JNI results");
            }
        } catch (Throwable t) {
            problem = t.toString();
        }
        VM = vm;
        JVMTI = jvmti;
        STOP_THREAD = stopThread;
        SUSPEND_THREAD = suspendThread;
        RESUME_THREAD = resumeThread;
        GET_ENV = getEnv;
        SELF = self;
        TARGET_FIELD = targetField;
        ERROR_FIELD = errorField;
        PROBLEM = problem;
    }

    private ForcedStop() {}

    private static MemorySegment global(MemorySegment env, MemorySegment local) throws Throwable {
        return (MemorySegment) P_PP.invokeExact(JNI[JNI_NEW_GLOBAL_REF], env, local);
    }

    /**
     * Clears a pending JNI exception; returns whether there was one. (A downcall that returns with
     * an exception pending throws it in Java; this covers the calls that leave one quietly.)
     */
    private static boolean clearException(MemorySegment env) throws Throwable {
        boolean pending = (boolean) BOOL_P.invokeExact(JNI[JNI_EXCEPTION_CHECK], env);
        if (pending) {
            VOID_P.invokeExact(JNI[JNI_EXCEPTION_CLEAR], env);
        }
        return pending;
    }

    private static MethodHandle handle(FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(descriptor);
    }

    /** Entry {@code index} of the function table that {@code structure} points to. */
    private static MemorySegment function(MemorySegment structure, int index) {
        MemorySegment table = structure.get(ADDRESS, 0).reinterpret((index + 1) * ADDRESS.byteSize());
        return table.getAtIndex(ADDRESS, index);
    }

    private static MemorySegment jniEnv(MemorySegment getEnv, MemorySegment vm, MemorySegment out) throws Throwable {
        int rc = (int) INT_PPI.invokeExact(getEnv, vm, out, JNI_VERSION_1_8);
        if (rc != 0) {
            throw new IllegalStateException("GetEnv(JNI) failed: " + rc);
        }
        return out.get(ADDRESS, 0).reinterpret(ADDRESS.byteSize());
    }

    /** Whether forced stops work in this JVM. */
    public static boolean available() {
        return PROBLEM == null;
    }

    /**
     * Makes {@code thread} throw {@link CellStopped#FORCED} as soon as it runs. A virtual thread is
     * suspended around the stop (JVMTI stops virtual threads only while suspended); it must be
     * mounted on a carrier, i.e. busy: a parked virtual thread reacts to {@code interrupt()} instead.
     *
     * <p>A class whose static initializer an exception cuts short stays unusable for the rest of the JVM's life
     * (every later use is a {@code NoClassDefFoundError}, in every cell): a JDK class first used by the code
     * being stopped, such as one of {@code BigInteger}'s helpers, would be lost with it. So the stop waits while
     * a class initializer is on the thread's stack, up to 500 ms, after which an initializer that does not end
     * (a cell's own) is stopped too. The look and the stop are two steps: a thread that enters an initializer
     * between them is still stopped inside it.
     *
     * @return false when {@code thread} is a virtual thread that is not mounted right now (it burns no
     *     CPU then; try again when it runs) or that this JVM cannot suspend (then it is left for the
     *     kernel's debug connection), true otherwise
     * @throws IllegalStateException when the JVM refuses, with its JVMTI error
     */
    public static synchronized boolean stop(Thread thread) {
        if (PROBLEM != null) {
            throw new IllegalStateException("forced stop unavailable: " + PROBLEM);
        }
        long deadline = System.nanoTime() + CLASS_INIT_WAIT_NANOS;
        while (initializingAClass(thread) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        boolean virtual = thread.isVirtual();
        if (virtual && !addVirtualThreadCapabilities()) {
            Thread[] left = Arrays.copyOf(forDebugger, forDebugger.length + 1);
            left[left.length - 1] = thread;
            forDebugger = left;
            return false;
        }
        int rc;
        int suspended = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            target = thread;
            error = CellStopped.FORCED;
            MemorySegment env = jniEnv(GET_ENV, VM, out);
            MemorySegment t = (MemorySegment) P_PPP.invokeExact(JNI[JNI_GET_STATIC_OBJECT_FIELD], env, SELF, TARGET_FIELD);
            MemorySegment e = (MemorySegment) P_PPP.invokeExact(JNI[JNI_GET_STATIC_OBJECT_FIELD], env, SELF, ERROR_FIELD);
            if (virtual) {
                suspended = (int) INT_PP.invokeExact(SUSPEND_THREAD, JVMTI, t);
                rc = suspended == 0 ? (int) INT_PPP.invokeExact(STOP_THREAD, JVMTI, t, e) : suspended;
                if (suspended == 0) {
                    int resumed = (int) INT_PP.invokeExact(RESUME_THREAD, JVMTI, t);
                    if (rc == 0) {
                        rc = resumed;
                    }
                }
            } else {
                rc = (int) INT_PPP.invokeExact(STOP_THREAD, JVMTI, t, e);
            }
            VOID_PP.invokeExact(JNI[JNI_DELETE_LOCAL_REF], env, t);
            VOID_PP.invokeExact(JNI[JNI_DELETE_LOCAL_REF], env, e);
        } catch (Throwable t) {
            throw new IllegalStateException("forced stop failed: " + t, t);
        } finally {
            target = null;
            error = null;
        }
        // 15 = JVMTI_ERROR_THREAD_NOT_ALIVE: it ended by itself meanwhile, which is what we wanted
        if (rc == 0 || rc == 15) {
            return true;
        }
        // 32 = JVMTI_ERROR_OPAQUE_FRAME: a suspended virtual thread that is not on a carrier
        if (virtual && rc == 32) {
            return false;
        }
        throw new IllegalStateException("JVMTI " + (suspended != 0 ? "SuspendThread" : "StopThread")
                + " failed with error " + rc);
    }

    private static boolean initializingAClass(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("<clinit>")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds what suspending and stopping virtual threads needs. Done on first use: once a JVMTI
     * environment supports virtual threads, their mounts and unmounts are reported to it, which
     * costs every virtual thread a little from then on. False when another environment holds
     * {@code can_suspend} (the JDWP agent).
     */
    private static boolean addVirtualThreadCapabilities() {
        if (virtualReady) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment caps = arena.allocate(16);
            caps.set(JAVA_INT, 0, CAN_SUSPEND);
            caps.set(JAVA_INT, 4, CAN_SUPPORT_VIRTUAL_THREADS);
            int rc = (int) INT_PP.invokeExact(function(JVMTI, JVMTI_ADD_CAPABILITIES), JVMTI, caps);
            if (rc == JVMTI_ERROR_NOT_AVAILABLE) {
                return false;
            }
            if (rc != 0) {
                throw new IllegalStateException("JVMTI cannot stop virtual threads here (AddCapabilities: " + rc + ")");
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("forced stop failed: " + t, t);
        }
        virtualReady = true;
        return true;
    }

    /** Forgets the virtual threads left for the kernel's debugger: a new forced stop lists its own. */
    static void clearForDebugger() {
        forDebugger = new Thread[0];
    }
}
