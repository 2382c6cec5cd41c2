package dev.jcn.kernel.testing;

import dev.jcn.kernel.Main;

/**
 * The kernel process with {@link FakeInterpreter} in place of the user JVM, so that the protocol
 * layer can be driven through a real frontend on its own ({@code scripts/conformance.sh fake}, the
 * tests of {@link Main}).
 *
 * <pre>{@code
 * java --enable-preview -cp kernel.jar:lib/*:test-classes dev.jcn.kernel.testing.FakeKernel connection.json
 * }</pre>
 */
public final class FakeKernel {

    private FakeKernel() {}

    /** Runs the kernel for the connection file {@code args[0]} as {@link Main#main} does. */
    public static void main(String[] args) {
        Main.serve(args, FakeInterpreter::new);
    }
}
