package dev.jcn.kernel.agent;

import java.lang.classfile.ClassFile;
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
import java.util.Set;

/**
 * Rewrites snippet classes so that every method entry and every backward jump (each loop
 * iteration) calls {@link Cells#check()}: a loop written in a cell then ends promptly when its
 * cell is interrupted, whichever thread runs it.
 *
 * <pre>{@code
 * byte[] woven = StopChecks.weave(classBytes);
 * }</pre>
 */
final class StopChecks {

    private static final ClassDesc CELLS = ClassDesc.of(Cells.class.getName());
    private static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);

    private StopChecks() {}

    static byte[] weave(byte[] classBytes) {
        ClassFile cf = ClassFile.of();
        return cf.transformClass(cf.parse(classBytes),
                ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(Weaver::new)));
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
