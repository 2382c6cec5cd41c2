package dev.jcn.kernel.agent.editing;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import java.util.stream.Collectors;
import jdk.jshell.MethodSnippet;
import jdk.jshell.TypeDeclSnippet;

/**
 * A method or type that a cell declared, read from the cell's own source: the parameter names and
 * the doc comment the user wrote, which JShell's snippet records do not keep.
 *
 * <pre>{@code
 * CellDeclaration d = CellDeclaration.of(squareSnippet);   // d.call() = "square(int x)", d.signature() = "int square(int x)"
 * }</pre>
 */
record CellDeclaration(String call, String signature) {

    static CellDeclaration of(MethodSnippet m) {
        Sources.Declared d = Sources.parseMember(m.source());
        if (d != null && d.tree() instanceof MethodTree method) {
            String params = method.getParameters().stream().map(CellDeclaration::parameter).collect(Collectors.joining(", "));
            String typeParams = method.getTypeParameters().isEmpty() ? ""
                    : "<" + method.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ")) + "> ";
            String call = m.name() + "(" + params + ")";
            String returns = method.getReturnType() == null ? "" : method.getReturnType() + " ";
            return new CellDeclaration(call, typeParams + returns + call);
        }
        String call = m.name() + "(" + m.parameterTypes() + ")";
        return new CellDeclaration(call, call);
    }

    private static String parameter(VariableTree p) {
        return p.getType() + " " + p.getName();
    }

    /** {@code class Counter}, {@code record Point}, ... */
    static String typeHeader(TypeDeclSnippet t) {
        String kind = switch (t.subKind()) {
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case RECORD_SUBKIND -> "record";
            case ANNOTATION_TYPE_SUBKIND -> "@interface";
            default -> "class";
        };
        return kind + " " + t.name();
    }

    /** The doc comment at the top of a cell's declaration, or null. */
    static DocCommentTree comment(String source) {
        Sources.Declared d = Sources.parseMember(source);
        return d == null ? null : d.doc();
    }
}
