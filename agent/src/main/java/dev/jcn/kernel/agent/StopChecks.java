package dev.jcn.kernel.agent;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rewrites snippet classes so that every method entry and every backward jump (each loop
 * iteration) calls {@link Cells#check()}: a loop written in a cell then ends promptly when its
 * cell is interrupted, whichever thread runs it.
 *
 * <pre>{@code
 * byte[] woven = StopChecks.weave(classBytes, ClassHierarchyResolver.defaultResolver());
 * byte[] wovenSnippet = StopChecks.weave(snippetBytes, StopChecks.resolver(batch, loader::classBytes));
 * }</pre>
 *
 * <p>Rewritten methods get new stack map frames, and computing those needs the super classes of
 * the types the frames merge. Snippet classes use classes of earlier snippets (and of the same
 * batch) that the JDK's default resolver cannot find: {@link #resolver} looks them up in their
 * bytes. A class that still cannot be rewritten is loaded as compiled, without stop checks.
 */
final class StopChecks {

    private static final ClassDesc CELLS = ClassDesc.of(Cells.class.getName());
    private static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);

    private StopChecks() {}

    /**
     * Weaves {@code classBytes}, resolving class hierarchies with {@code resolver}; returns the
     * bytes unchanged when some class they use cannot be resolved or the class cannot be parsed.
     */
    static byte[] weave(byte[] classBytes, ClassHierarchyResolver resolver) {
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        try {
            return cf.transformClass(cf.parse(classBytes),
                    ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(Weaver::new)));
        } catch (IllegalArgumentException e) {
            return classBytes;
        }
    }

    /**
     * The JDK's classes first, then {@code batch} (binary name to bytes: classes defined together),
     * then whatever {@code others} finds by binary name (earlier snippets, the class path), or null.
     */
    static ClassHierarchyResolver resolver(Map<String, byte[]> batch, Function<String, InputStream> others) {
        return ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(desc -> {
            String name = binaryName(desc);
            byte[] b = batch.get(name);
            return b != null ? new ByteArrayInputStream(b) : others.apply(name);
        }));
    }

    private static String binaryName(ClassDesc desc) {
        String d = desc.descriptorString();
        return d.substring(1, d.length() - 1).replace('/', '.');
    }

    /** Labels seen so far: a branch to one of them jumps backwards. */
    private static final class Weaver implements CodeTransform {
        private final Set<Label> seen = new HashSet<>();

        @Override
        public void atStart(CodeBuilder code) {
            code.invokestatic(CELLS, "check", VOID);
        }

        @Override
        public void accept(CodeBuilder code, CodeElement element) {
            if (element instanceof LabelTarget target) {
                seen.add(target.label());
            } else if (element instanceof BranchInstruction branch && seen.contains(branch.target())) {
                code.invokestatic(CELLS, "check", VOID);
            }
            code.with(element);
        }
    }
}
