package dev.jcn.kernel.agent.debug;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.attribute.SourceDebugExtensionAttribute;
import java.nio.charset.StandardCharsets;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Tells a debugger which line of its cell each line of a snippet class comes from. JShell compiles
 * a snippet inside a wrapper (a package line, the imports, a class, and for a variable an
 * initialiser method), so the class file's own line numbers are lines of the wrapper. Rewriting
 * them would also change the stack traces JShell turns into cell lines; instead each class gets a
 * JSR-45 source map ({@code SourceDebugExtension}) with a stratum {@value #STRATUM} whose only
 * source file is named by the cell's number and whose lines are the cell's own. A JDI debugger
 * asks for that stratum; everything else goes on reading the Java lines.
 *
 * <pre>{@code
 * int[] lines = CellLines.map(analysis.wrappers(source).get(0), source, 4); // source starts on cell line 4
 * byte[] mapped = CellLines.mark(classBytes, 12, lines);                      // cell 12
 * }</pre>
 *
 * <p>Lines only the wrapper has (its class header, the code that stores a variable's value) map
 * to no cell line, so no breakpoint lands there and a step passes over them.
 */
public final class CellLines {

    /** The name of the stratum of cell lines in the source maps. */
    public static final String STRATUM = "Cell";

    private CellLines() {}

    /**
     * For each line of {@code wrapper}'s wrapped source (index 1 is its first line), the line of the
     * cell it comes from, or 0 for a line only the wrapper has; {@code source} is the snippet's
     * source and starts on cell line {@code firstLine}.
     */
    public static int[] map(SourceCodeAnalysis.SnippetWrapper wrapper, String source, int firstLine) {
        String[] lines = wrapper.wrapped().split("\n", -1);
        int[] map = new int[lines.length + 1];
        int position = 0;
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i];
            if (!text.isBlank()) {
                int indent = text.length() - text.stripLeading().length();
                int at = wrapper.wrappedToSourcePosition(position + indent);
                // positions outside the source belong to the wrapper alone
                map[i + 1] = at < 0 || at >= source.length() ? 0 : firstLine - 1 + lineOf(source, at);
            }
            position += text.length() + 1;
        }
        return map;
    }

    /** {@code classBytes} with a source map from its lines to the lines of cell {@code cell} by {@code map}. */
    public static byte[] mark(byte[] classBytes, int cell, int[] map) {
        StringBuilder smap = new StringBuilder("SMAP\ncell.java\n").append(STRATUM).append('\n')
                .append("*S ").append(STRATUM).append('\n')
                .append("*F\n1 ").append(cell).append('\n')
                .append("*L\n");
        for (int line = 1; line < map.length; line++) {
            if (map[line] > 0) {
                smap.append(map[line]).append("#1:").append(line).append('\n');
            }
        }
        smap.append("*E\n");
        byte[] text = smap.toString().getBytes(StandardCharsets.UTF_8);
        ClassFile cf = ClassFile.of();
        ClassTransform withMap = ClassTransform.dropping(e -> e instanceof SourceDebugExtensionAttribute)
                .andThen(ClassTransform.endHandler(b -> b.with(SourceDebugExtensionAttribute.of(text))));
        try {
            return cf.transformClass(cf.parse(classBytes), withMap);
        } catch (IllegalArgumentException e) {
            return classBytes;
        }
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
