package dev.jcn.kernel.agent;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
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
 * to run without a warning. A stop suspends the thread to look at its frames (see {@link #stop}), with
 * {@code can_suspend}, added on the first stop. HotSpot gives that capability to one environment at a
 * time: in a user JVM started in debug mode the JDWP agent has it, so there platform threads are stopped
 * without suspending them, and virtual threads, which JVMTI stops only while suspended, are left to the
 * kernel, which stops them through its debug connection.
 *
 * <p>JNI local references made by a downcall stay valid only until this thread next runs a JNI
 * native method; so in the set-up every method handle and every native string is prepared beforehand,
 * and the calls that pass references along follow each other with nothing but downcalls in between;
 * a stop turns the references it needs into global ones at once, and checks what they refer to.
 */
@SuppressWarnings("restricted") // native access is the point; the user JVM enables it explicitly
public final class ForcedStop {

    /** How long a stop waits for a thread to finish initialising a class (see {@link #stop}). */
    private static final long CLASS_INIT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long it lets such a thread run before it looks again. */
    private static final long CLASS_INIT_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int JVMTI_VERSION_1_2 = 0x30010200;
    private static final int JNI_VERSION_1_8 = 0x00010008;
    private static final int CAN_GET_BYTECODES = 1 << 3;
    private static final int CAN_SIGNAL_THREAD = 1 << 10;
    private static final int JVMTI_ERROR_THREAD_SUSPENDED = 14;
    private static final int JVMTI_ERROR_THREAD_NOT_ALIVE = 15;
    private static final int JVMTI_ERROR_OPAQUE_FRAME = 32;
    private static final int JVMTI_ERROR_NOT_AVAILABLE = 98;
    /** The name of JVMTI {@code StopThread}, as an error message gives it. */
    private static final String STOP = "StopThread";
    // in the first and second 32-bit words of jvmtiCapabilities
    private static final int CAN_SUSPEND = 1 << 20;
    private static final int CAN_SUPPORT_VIRTUAL_THREADS = 1 << (44 - 32);
    // indexes into the JNI, JVMTI and invocation function tables (jni.h, jvmti.h)
    private static final int INVOKE_GET_ENV = 6;
    private static final int JVMTI_SUSPEND_THREAD = 4;
    private static final int JVMTI_RESUME_THREAD = 5;
    private static final int JVMTI_STOP_THREAD = 6;
    private static final int JVMTI_GET_FRAME_COUNT = 15;
    private static final int JVMTI_GET_THREAD_STATE = 16;
    private static final int JVMTI_DEALLOCATE = 46;
    private static final int JVMTI_GET_METHOD_NAME = 63;
    private static final int JVMTI_GET_BYTECODES = 74;
    private static final int JVMTI_GET_STACK_TRACE = 103;
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
    private static final int JNI_SET_STATIC_OBJECT_FIELD = 154;
    private static final int JNI_NEW_STRING_UTF = 167;
    private static final int JNI_EXCEPTION_CHECK = 228;

    /** What the native side reads: JNI hands JVMTI only objects it can reach, here through fields. */
    private static volatile Thread target;
    private static volatile Throwable error;
    /** What a new global reference refers to, written by JNI and read back to check it. */
    private static volatile Object made;

    private static final Linker LINKER = Linker.nativeLinker();
    // downcall handles taking the function address first, by signature
    private static final MethodHandle INT_PPI = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle INT_PP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle INT_PPP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle INT_PPPP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle INT_PPPPP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle INT_PPIIPP = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle P_PP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle P_PPP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle P_PPPP = handle(FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle VOID_P = handle(FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle VOID_PP = handle(FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    private static final MethodHandle VOID_PPPP = handle(FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle BOOL_P = handle(FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));

    private static final MemorySegment VM;
    private static final MemorySegment JVMTI;
    private static final MemorySegment STOP_THREAD;
    private static final MemorySegment SUSPEND_THREAD;
    private static final MemorySegment RESUME_THREAD;
    private static final MemorySegment GET_FRAME_COUNT;
    private static final MemorySegment GET_STACK_TRACE;
    private static final MemorySegment GET_METHOD_NAME;
    private static final MemorySegment GET_BYTECODES;
    private static final MemorySegment DEALLOCATE;
    /** How many frames one {@code GetStackTrace} reads; a jvmtiFrameInfo is a method id and a location. */
    private static final int FRAMES = 256;
    private static final long FRAME_INFO_SIZE = 16;
    /** Buffers for the look at a suspended thread's frames; {@link #stop} is synchronized. */
    private static final MemorySegment FRAME_BUFFER = Arena.global().allocate(FRAMES * FRAME_INFO_SIZE, 8);
    private static final MemorySegment COUNT = Arena.global().allocate(JAVA_INT);
    private static final MemorySegment RESULT = Arena.global().allocate(ADDRESS);
    private static final byte[] CLASS_INITIALIZER = cString("<clinit>");
    /**
     * Native methods that initialise classes from inside the JVM: {@code Class.forName},
     * {@code Unsafe.ensureClassInitialized} (method handles, reflection, {@code Lookup.ensureInitialized}),
     * {@code Unsafe.allocateInstance}, {@code Lookup.defineHiddenClass} and the reflection of early start-up.
     */
    private static final byte[][] INITIALIZING_NATIVES = {
        cString("forName0"), cString("ensureClassInitialized0"), cString("allocateInstance"),
        cString("defineClass0"), cString("newInstance0"), cString("invoke0"),
    };
    // the bytecodes that initialise the class they name, when it is not yet
    private static final int NEW = 0xbb;
    private static final int GETSTATIC = 0xb2;
    private static final int PUTSTATIC = 0xb3;
    private static final int INVOKESTATIC = 0xb8;
    /** Whether {@code can_suspend} was added: only on the first forced stop. */
    private static boolean suspendReady;
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
    private static final MemorySegment MADE_FIELD;
    private static final String PROBLEM;

    static {
        MemorySegment vm = MemorySegment.NULL, jvmti = MemorySegment.NULL, stopThread = MemorySegment.NULL;
        MemorySegment suspendThread = MemorySegment.NULL, resumeThread = MemorySegment.NULL;
        MemorySegment getFrameCount = MemorySegment.NULL, getStackTrace = MemorySegment.NULL;
        MemorySegment getMethodName = MemorySegment.NULL, getBytecodes = MemorySegment.NULL;
        MemorySegment deallocate = MemorySegment.NULL;
        MemorySegment getEnv = MemorySegment.NULL, self = MemorySegment.NULL;
        MemorySegment targetField = MemorySegment.NULL, errorField = MemorySegment.NULL;
        MemorySegment madeField = MemorySegment.NULL;
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
            caps.set(JAVA_INT, 0, CAN_SIGNAL_THREAD | CAN_GET_BYTECODES);
            rc = (int) INT_PP.invokeExact(function(jvmti, JVMTI_ADD_CAPABILITIES), jvmti, caps);
            if (rc != 0) {
                throw new IllegalStateException("JVMTI AddCapabilities(can_signal_thread, can_get_bytecodes) failed: " + rc);
            }
            stopThread = function(jvmti, JVMTI_STOP_THREAD);
            suspendThread = function(jvmti, JVMTI_SUSPEND_THREAD);
            resumeThread = function(jvmti, JVMTI_RESUME_THREAD);
            getFrameCount = function(jvmti, JVMTI_GET_FRAME_COUNT);
            getStackTrace = function(jvmti, JVMTI_GET_STACK_TRACE);
            getMethodName = function(jvmti, JVMTI_GET_METHOD_NAME);
            getBytecodes = function(jvmti, JVMTI_GET_BYTECODES);
            deallocate = function(jvmti, JVMTI_DEALLOCATE);
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
            MemorySegment madeName = arena.allocateFrom("made");
            MemorySegment objectSig = arena.allocateFrom("Ljava/lang/Object;");
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
            madeField = (MemorySegment) P_PPPP.invokeExact(JNI[JNI_GET_STATIC_FIELD_ID], env, self, madeName, objectSig);
            if (clearException(env) || targetField.equals(MemorySegment.NULL) || errorField.equals(MemorySegment.NULL)
                    || madeField.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("JNI could not find the fields of " + ForcedStop.class.getName());
            }
            // with a null reference this clears the field: it links the shape stop() checks its references with
            VOID_PPPP.invokeExact(JNI[JNI_SET_STATIC_OBJECT_FIELD], env, self, madeField, MemorySegment.NULL);
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
        GET_FRAME_COUNT = getFrameCount;
        GET_STACK_TRACE = getStackTrace;
        GET_METHOD_NAME = getMethodName;
        GET_BYTECODES = getBytecodes;
        DEALLOCATE = deallocate;
        GET_ENV = getEnv;
        SELF = self;
        TARGET_FIELD = targetField;
        ERROR_FIELD = errorField;
        MADE_FIELD = madeField;
        if (problem == null) {
            try {
                // Look at this thread's own frames once (a null jthread is the current thread): that links the
                // calls of the look at a suspended thread and loads the classes it uses, so that none is loaded
                // while a suspended thread may hold a lock that loading needs. It must see this initializer.
                if (!initializingAClass(MemorySegment.NULL, true)) {
                    problem = "JVMTI GetStackTrace does not show the class initializer of " + ForcedStop.class.getName();
                }
            } catch (Throwable t) {
                problem = t.toString();
            }
        }
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
     * Makes {@code thread} throw {@link CellStopped#FORCED} as soon as it runs. A virtual thread must be
     * mounted on a carrier, i.e. busy: a parked virtual thread reacts to {@code interrupt()} instead.
     *
     * <p>A class whose static initializer an exception cuts short stays unusable for the rest of the JVM's life
     * (every later use is a {@code NoClassDefFoundError}, in every cell): a JDK class first used by the code
     * being stopped, such as one of {@code BigInteger}'s helpers, would be lost with it. So the stop does not
     * land while the thread initialises a class, as long as that ends within 500 ms: the thread is suspended
     * (JVMTI {@code SuspendThread}), its frames are read while it stands still, and only if it is neither in
     * an initializer nor on its way into one is the exception thrown into it ({@code StopThread}) before it
     * resumes. JVMTI throws it at the thread's next check for it after the resume: where it stood, for a thread
     * suspended in Java code; for a thread suspended inside the JVM, possibly only at the entry of the class
     * initializer the JVM was about to run for it, whose frame is not there yet (a stop that looked only for
     * {@code <clinit>} frames still broke a class in 2 to 5 of 100 stops of a thread that kept initialising
     * classes). So "on its way into one" is a top frame at a {@code new}, {@code getstatic}, {@code putstatic}
     * or {@code invokestatic}, the bytecodes that initialise the class they name, or in a native method of the
     * JDK that initialises classes ({@code Class.forName}, {@code Unsafe.ensureClassInitialized}, which method
     * handles and reflection use, {@code Unsafe.allocateInstance}, {@code defineHiddenClass}). Not recognised:
     * a native method of a library that initialises a class through JNI. When the thread initialises a class,
     * it resumes and the stop looks again 200 µs later; after 500 ms an initializer that does not end (a cell's
     * own) is stopped too.
     *
     * <p>In a user JVM started in debug mode the JDWP agent holds {@code can_suspend}, which HotSpot gives
     * to one JVMTI environment at a time: there a platform thread is stopped as before, looking at its stack
     * ({@code Thread.getStackTrace}), waiting while it shows a {@code <clinit>} (up to 500 ms), then stopping
     * it. The look and the stop are two steps then: a thread that enters an initializer between them is still
     * stopped inside it. Virtual threads there are left to the kernel's debug connection.
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
        boolean virtual = thread.isVirtual();
        // a thread cannot wait for itself to be resumed: it is stopped at once
        boolean suspend = thread != Thread.currentThread() && (virtual ? addVirtualThreadCapabilities() : addSuspendCapability());
        if (virtual && !suspend) {
            Thread[] left = Arrays.copyOf(forDebugger, forDebugger.length + 1);
            left[left.length - 1] = thread;
            forDebugger = left;
            return false;
        }
        if (!suspend) {
            long deadline = System.nanoTime() + CLASS_INIT_WAIT_NANOS;
            while (initializingAClass(thread) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(CLASS_INIT_RETRY_NANOS);
            }
        }
        Outcome outcome;
        MemorySegment t = MemorySegment.NULL;
        MemorySegment e = MemorySegment.NULL;
        MemorySegment env = MemorySegment.NULL;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            env = jniEnv(GET_ENV, VM, out);
            // Global references: they stay valid across the Java code of the look and the waits.
            target = thread;
            error = CellStopped.FORCED;
            t = globalStatic(env, TARGET_FIELD, thread);
            e = globalStatic(env, ERROR_FIELD, CellStopped.FORCED);
            target = null;
            error = null;
            outcome = suspend ? stopSuspended(t, e) : new Outcome((int) INT_PPP.invokeExact(STOP_THREAD, JVMTI, t, e), STOP);
        } catch (IllegalStateException x) {
            throw x;
        } catch (Throwable x) {
            throw new IllegalStateException("forced stop failed: " + x, x);
        } finally {
            target = null;
            error = null;
            deleteGlobal(env, t);
            deleteGlobal(env, e);
        }
        // it ended by itself meanwhile, which is what we wanted
        if (outcome.error() == 0 || outcome.error() == JVMTI_ERROR_THREAD_NOT_ALIVE) {
            return true;
        }
        // a suspended virtual thread that is not on a carrier
        if (virtual && outcome.error() == JVMTI_ERROR_OPAQUE_FRAME && outcome.call().equals(STOP)) {
            return false;
        }
        throw new IllegalStateException("JVMTI " + outcome.call() + " failed with error " + outcome.error());
    }

    /** The JVMTI function a stop called last, {@link #STOP} unless an earlier one failed, and its error (0: none). */
    private record Outcome(int error, String call) {
    }

    /**
     * Suspends the thread {@code t}, and unless it is initialising a class (see {@link #stop}), throws
     * {@code e} into it, then resumes it; again until the stop is done or the 500 ms are over. Returns the
     * JVMTI error with the call that failed.
     */
    private static Outcome stopSuspended(MemorySegment t, MemorySegment e) throws Throwable {
        long deadline = System.nanoTime() + CLASS_INIT_WAIT_NANOS;
        while (true) {
            int suspended = (int) INT_PP.invokeExact(SUSPEND_THREAD, JVMTI, t);
            if (suspended != 0 && suspended != JVMTI_ERROR_THREAD_SUSPENDED) {
                return new Outcome(suspended, "SuspendThread");
            }
            // suspended by someone else already (a debugger): then it is theirs to resume
            boolean ours = suspended == 0;
            int rc = 0;
            String call = STOP;
            boolean stopped = false;
            try {
                if (System.nanoTime() - deadline >= 0 || !initializingAClass(t, false)) {
                    rc = (int) INT_PPP.invokeExact(STOP_THREAD, JVMTI, t, e);
                    stopped = true;
                }
            } finally {
                if (ours) {
                    int resumed = (int) INT_PP.invokeExact(RESUME_THREAD, JVMTI, t);
                    if (resumed != 0 && rc == 0) {
                        call = "ResumeThread";
                        rc = resumed;
                        stopped = true;
                    }
                }
            }
            if (stopped) {
                return new Outcome(rc, call);
            }
            LockSupport.parkNanos(CLASS_INIT_RETRY_NANOS);
        }
    }

    /**
     * A global reference to {@code expected}, the object in the static field {@code field} of this class.
     * Between two downcalls a method handle may spin a class for itself (it does after 127 calls), which runs
     * JNI native methods: then the local reference the first downcall returned may refer to another object
     * by the time the next one reads it. (It happened: one stop in some hundreds got an object that was not
     * the thread, and JVMTI answered {@code JVMTI_ERROR_INVALID_THREAD}, or suspended another thread.) So the
     * object the global reference refers to is written back into a field and compared, and made again if it
     * is not the one.
     */
    private static MemorySegment globalStatic(MemorySegment env, MemorySegment field, Object expected) throws Throwable {
        for (int attempt = 0; attempt < 3; attempt++) {
            MemorySegment local = (MemorySegment) P_PPP.invokeExact(JNI[JNI_GET_STATIC_OBJECT_FIELD], env, SELF, field);
            MemorySegment global = (MemorySegment) P_PP.invokeExact(JNI[JNI_NEW_GLOBAL_REF], env, local);
            VOID_PP.invokeExact(JNI[JNI_DELETE_LOCAL_REF], env, local);
            VOID_PPPP.invokeExact(JNI[JNI_SET_STATIC_OBJECT_FIELD], env, SELF, MADE_FIELD, global);
            boolean right = made == expected;
            made = null;
            if (right) {
                return global;
            }
            deleteGlobal(env, global);
        }
        throw new IllegalStateException("JNI gave no reference to " + expected);
    }

    private static void deleteGlobal(MemorySegment env, MemorySegment ref) {
        if (!ref.equals(MemorySegment.NULL)) {
            try {
                VOID_PP.invokeExact(JNI[JNI_DELETE_GLOBAL_REF], env, ref);
            } catch (Throwable x) {
                throw new IllegalStateException("forced stop failed: " + x, x);
            }
        }
    }

    /** The look of a JVM where this one cannot suspend threads: two steps, see {@link #stop}. */
    private static boolean initializingAClass(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("<clinit>")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the suspended thread {@code t} is initialising a class: a {@code <clinit>} among its frames, or
     * a top frame that may be about to start one. With {@code warmUp}, reads every frame, and answers whether
     * a {@code <clinit>} is among them.
     */
    private static boolean initializingAClass(MemorySegment t, boolean warmUp) throws Throwable {
        check((int) INT_PPP.invokeExact(GET_FRAME_COUNT, JVMTI, t, COUNT), "GetFrameCount");
        int frames = COUNT.get(JAVA_INT, 0);
        boolean initializer = false;
        boolean starting = false;
        for (int depth = 0; depth < frames && (warmUp || !initializer && !starting); depth += FRAMES) {
            check((int) INT_PPIIPP.invokeExact(GET_STACK_TRACE, JVMTI, t, depth, FRAMES, FRAME_BUFFER, COUNT), "GetStackTrace");
            int count = COUNT.get(JAVA_INT, 0);
            for (int i = 0; i < count && (warmUp || !initializer && !starting); i++) {
                MemorySegment method = FRAME_BUFFER.get(ADDRESS, i * FRAME_INFO_SIZE);
                long location = FRAME_BUFFER.get(JAVA_LONG, i * FRAME_INFO_SIZE + 8);
                boolean top = depth + i == 0;
                if (top || warmUp) {
                    starting |= startsInitializing(method, location) && top;
                }
                initializer |= named(method, CLASS_INITIALIZER);
            }
        }
        return warmUp ? initializer : initializer || starting;
    }

    /**
     * Whether a thread whose top frame is at {@code location} of {@code method} may be inside the JVM on its
     * way into a class initializer, whose frame it has not pushed yet. (Location -1 is a native method.)
     */
    private static boolean startsInitializing(MemorySegment method, long location) throws Throwable {
        if (location < 0) {
            for (byte[] name : INITIALIZING_NATIVES) {
                if (named(method, name)) {
                    return true;
                }
            }
            return false;
        }
        check((int) INT_PPPP.invokeExact(GET_BYTECODES, JVMTI, method, COUNT, RESULT), "GetBytecodes");
        MemorySegment code = RESULT.get(ADDRESS, 0).reinterpret(COUNT.get(JAVA_INT, 0));
        try {
            if (location >= code.byteSize()) {
                return false;
            }
            int op = code.get(JAVA_BYTE, location) & 0xff;
            return op == NEW || op == GETSTATIC || op == PUTSTATIC || op == INVOKESTATIC;
        } finally {
            check((int) INT_PP.invokeExact(DEALLOCATE, JVMTI, code), "Deallocate");
        }
    }

    /** Whether {@code method} has the name whose bytes, with the terminating 0, are {@code name}. */
    private static boolean named(MemorySegment method, byte[] name) throws Throwable {
        check((int) INT_PPPPP.invokeExact(GET_METHOD_NAME, JVMTI, method, RESULT, MemorySegment.NULL, MemorySegment.NULL),
                "GetMethodName");
        MemorySegment chars = RESULT.get(ADDRESS, 0).reinterpret(name.length);
        try {
            // stops at the first difference, so never reads past the end of a shorter name
            for (int i = 0; i < name.length; i++) {
                if (chars.get(JAVA_BYTE, i) != name[i]) {
                    return false;
                }
            }
            return true;
        } finally {
            check((int) INT_PP.invokeExact(DEALLOCATE, JVMTI, chars), "Deallocate");
        }
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException("JVMTI " + call + " failed with error " + rc);
        }
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /**
     * Adds {@code can_suspend}, which the stop of a platform thread uses to look at it while it stands still.
     * False when another environment holds it (the JDWP agent).
     */
    private static boolean addSuspendCapability() {
        if (!suspendReady) {
            suspendReady = addCapabilities(0, "suspend threads");
        }
        return suspendReady;
    }

    /**
     * Adds what suspending and stopping virtual threads needs. Done on first use: once a JVMTI
     * environment supports virtual threads, their mounts and unmounts are reported to it, which
     * costs every virtual thread a little from then on. False when another environment holds
     * {@code can_suspend} (the JDWP agent).
     */
    private static boolean addVirtualThreadCapabilities() {
        if (!virtualReady) {
            virtualReady = addCapabilities(CAN_SUPPORT_VIRTUAL_THREADS, "stop virtual threads");
            suspendReady |= virtualReady;
        }
        return virtualReady;
    }

    /**
     * Adds {@code can_suspend} and the capabilities {@code secondWord} names (bits of the second 32-bit word of
     * jvmtiCapabilities); false when another environment holds {@code can_suspend}.
     *
     * @throws IllegalStateException when JVMTI refuses for another reason: "JVMTI cannot {@code what} here"
     */
    private static boolean addCapabilities(int secondWord, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment caps = arena.allocate(16);
            caps.set(JAVA_INT, 0, CAN_SUSPEND);
            caps.set(JAVA_INT, 4, secondWord);
            int rc = (int) INT_PP.invokeExact(function(JVMTI, JVMTI_ADD_CAPABILITIES), JVMTI, caps);
            if (rc == JVMTI_ERROR_NOT_AVAILABLE) {
                return false;
            }
            if (rc != 0) {
                throw new IllegalStateException("JVMTI cannot " + what + " here (AddCapabilities: " + rc + ")");
            }
            return true;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("forced stop failed: " + t, t);
        }
    }

    /** Forgets the virtual threads left for the kernel's debugger: a new forced stop lists its own. */
    static void clearForDebugger() {
        forDebugger = new Thread[0];
    }
}
