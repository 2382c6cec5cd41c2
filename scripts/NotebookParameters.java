import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Turns {@code name=value} overrides into the Java source of a notebook's injected-parameters cell,
 * after checking them against the declarations of the notebook's cell tagged {@code parameters}.
 *
 * <pre>{@code
 * java scripts/NotebookParameters.java --cell params.java --imports imports.txt \
 *      --classpath "$(ls kernel/target/cell/*.jar | grep -v sources | paste -sd:)" 'workers=[1,2,4,8]' 'repeats=3'
 * # stdout: List<Integer> workers = List.of(1, 2, 4, 8);
 * #         int repeats = 3;
 * }</pre>
 *
 * <p>A value may be any Java expression of the declared type; a Python-like list {@code [1, 2, 4]}
 * becomes {@code List.of(...)}, {@code Set.of(...)} or {@code new T[]{...}} to fit the declaration,
 * a bare word for a {@code String} becomes a string literal and {@code True}/{@code False} become
 * booleans. A name that the cell does not declare, or a value that does not compile as the declared
 * type, is refused with one line on stderr and exit status 2, before any notebook runs.
 */
public final class NotebookParameters {

    /** The imports every JShell session starts with, so the check sees what the notebook sees. */
    private static final List<String> JSHELL_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*",
            "java.util.regex.*", "java.util.stream.*");

    private record Declaration(String name, String type, String initializer, String source) {}

    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        try {
            System.out.print(run(args));
        } catch (Refusal e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("cannot check parameters: " + e.getMessage());
            System.exit(2);
        }
    }

    private static String run(String[] args) throws Refusal, IOException {
        String cell = null;
        String classpath = "";
        List<String> imports = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cell" -> cell = Files.readString(Path.of(args[++i]));
                case "--imports" -> imports.addAll(Files.readAllLines(Path.of(args[++i])));
                case "--classpath" -> classpath = args[++i];
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new Refusal("a parameter must look like name=value, not '" + args[i] + "'");
                    }
                    overrides.put(args[i].substring(0, eq).strip(), args[i].substring(eq + 1).strip());
                }
            }
        }
        if (cell == null) {
            throw new Refusal("no --cell given");
        }
        Map<String, Declaration> declared = declarations(cell);
        for (String name : overrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new Refusal("'" + name + "' is not declared in the notebook's parameters cell"
                        + " (it declares: " + String.join(", ", declared.keySet()) + ")");
            }
        }
        Map<String, String> injected = new LinkedHashMap<>();
        overrides.forEach((name, raw) -> {
            Declaration d = declared.get(name);
            injected.put(name, d.type() + " " + name + " = " + toJava(d, raw) + ";");
        });
        check(declared, overrides, injected, imports(classpath, imports), classpath);
        return injected.values().stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    /** Top-level variable declarations of the cell, in order, by name. */
    private static Map<String, Declaration> declarations(String cell) throws Refusal {
        String prefix = "class __Parameters { void __cell() throws Throwable {\n";
        String source = prefix + cell + "\n} }\n";
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = task(source, List.of(), diagnostics);
        Map<String, Declaration> result = new LinkedHashMap<>();
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            ClassTree type = (ClassTree) unit.getTypeDecls().get(0);
            BlockTree body = ((MethodTree) type.getMembers().stream()
                    .filter(m -> m.getKind() == Tree.Kind.METHOD).findFirst().orElseThrow()).getBody();
            for (StatementTree statement : body.getStatements()) {
                if (statement instanceof VariableTree v && v.getInitializer() != null) {
                    String declaredType = v.getType() == null
                            ? "var"
                            : source.substring((int) positions.getStartPosition(unit, v.getType()),
                                               (int) positions.getEndPosition(unit, v.getType()));
                    String init = source.substring((int) positions.getStartPosition(unit, v.getInitializer()),
                                                   (int) positions.getEndPosition(unit, v.getInitializer()));
                    String whole = source.substring((int) positions.getStartPosition(unit, v),
                                                    (int) positions.getEndPosition(unit, v));
                    result.put(v.getName().toString(), new Declaration(v.getName().toString(),
                            declaredType.strip(), init, whole.endsWith(";") ? whole : whole + ";"));
                }
            }
        } catch (IOException e) {
            throw new Refusal("cannot parse the parameters cell: " + e.getMessage());
        }
        Diagnostic<? extends JavaFileObject> error = firstError(diagnostics);
        if (error != null) {
            throw new Refusal("the notebook's parameters cell does not parse: " + oneLine(error));
        }
        if (result.isEmpty()) {
            throw new Refusal("the notebook's parameters cell declares no variables");
        }
        return result;
    }

    /**
     * Compiles the declarations with the overrides in place. When even the notebook's own
     * declarations do not compile outside the notebook (they use something an earlier cell
     * defined), only the syntax of the new values can be checked here.
     */
    private static void check(Map<String, Declaration> declared, Map<String, String> overrides,
                              Map<String, String> injected, List<String> imports, String classpath)
            throws Refusal {
        List<String> lines = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (Declaration d : declared.values()) {
            lines.add(injected.getOrDefault(d.name(), d.source()).replace('\n', ' '));
            owners.add(d.name());
        }
        List<Diagnostic<? extends JavaFileObject>> errors = compile(lines, imports, classpath);
        if (errors.isEmpty()) {
            return;
        }
        List<String> originals = declared.values().stream().map(d -> d.source().replace('\n', ' ')).toList();
        boolean originalsCompile = compile(originals, imports, classpath).isEmpty();
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            int index = (int) error.getLineNumber() - headerLines(imports) - 1;
            String owner = index >= 0 && index < owners.size() ? owners.get(index) : null;
            if (owner != null && overrides.containsKey(owner)
                    && (originalsCompile || error.getCode().startsWith("compiler.err.expected")
                        || error.getCode().startsWith("compiler.err.illegal")
                        || error.getCode().startsWith("compiler.err.premature"))) {
                throw new Refusal(owner + "=" + overrides.get(owner) + " is not valid Java for '"
                        + declared.get(owner).type() + " " + owner + "': " + oneLine(error));
            }
        }
    }

    private static List<Diagnostic<? extends JavaFileObject>> compile(List<String> lines, List<String> imports,
                                                                     String classpath) {
        String source = header(imports) + String.join("\n", lines) + "\n} }\n";
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = task(source, options(classpath), diagnostics);
        try {
            task.analyze();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    private static String header(List<String> imports) {
        StringBuilder out = new StringBuilder();
        for (String i : imports) {
            out.append("import ").append(i).append(";\n");
        }
        return out.append("class __Parameters { void __cell() throws Throwable {\n").toString();
    }

    private static int headerLines(List<String> imports) {
        return imports.size() + 1;
    }

    private static List<String> options(String classpath) {
        List<String> options = new ArrayList<>(List.of("--release", "25", "--enable-preview", "-proc:none", "-Xlint:none"));
        String expanded = expand(classpath);
        if (!expanded.isEmpty()) {
            options.add("--class-path");
            options.add(expanded);
        }
        return options;
    }

    /** The class path with each {@code dir/*} replaced by the jars in dir, as the java launcher does. */
    private static String expand(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.endsWith("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1));
                try (Stream<Path> jars = Files.list(dir)) {
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
                } catch (IOException e) {
                    // A missing build directory only means fewer types to check against.
                }
            } else if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Imports the notebook sees: JShell's defaults, the helper library's packages, its own imports. */
    private static List<String> imports(String classpath, List<String> notebookImports) {
        Set<String> all = new LinkedHashSet<>(JSHELL_IMPORTS);
        for (String jar : expand(classpath).split(java.io.File.pathSeparator)) {
            if (Path.of(jar).getFileName() != null && Path.of(jar).getFileName().toString().startsWith("helpers")) {
                try (JarFile file = new JarFile(jar)) {
                    file.stream().map(e -> e.getName())
                            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("module-info.class")
                                    && n.contains("/"))
                            .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.') + ".*")
                            .forEach(all::add);
                } catch (IOException e) {
                    // Without the helpers jar the check sees fewer types; the notebook run will tell.
                }
            }
        }
        all.addAll(notebookImports);
        return List.copyOf(all);
    }

    private static JavacTask task(String source, List<String> options,
                                  DiagnosticCollector<JavaFileObject> diagnostics) {
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///__Parameters.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        var compiler = ToolProvider.getSystemJavaCompiler();
        return (JavacTask) compiler.getTask(null, null, diagnostics, options, null, List.of(file));
    }

    private static Diagnostic<? extends JavaFileObject> firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).findFirst().orElse(null);
    }

    private static String oneLine(Diagnostic<?> d) {
        return d.getMessage(Locale.ROOT).lines().map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.joining("; "));
    }

    /** The value as Java source, shaped to the declared type. */
    private static String toJava(Declaration d, String raw) {
        String type = d.type();
        if (raw.length() >= 2 && raw.startsWith("[") && raw.endsWith("]")) {
            String element = elementType(d);
            String items = splitTopLevel(raw.substring(1, raw.length() - 1)).stream()
                    .map(item -> scalar(element, item)).collect(Collectors.joining(", "));
            if (type.endsWith("[]")) {
                return "new " + type + "{" + items + "}";
            }
            if (type.equals("var") && d.initializer().startsWith("new ") && d.initializer().contains("{")) {
                return d.initializer().substring(0, d.initializer().indexOf('{')).strip() + "{" + items + "}";
            }
            if (type.startsWith("Set<") || type.startsWith("SequencedSet<")
                    || (type.equals("var") && d.initializer().startsWith("Set.of"))) {
                return "Set.of(" + items + ")";
            }
            return "List.of(" + items + ")";
        }
        return scalar(type.equals("var") ? literalType(d.initializer()) : type, raw);
    }

    private static String elementType(Declaration d) {
        String type = d.type();
        if (type.endsWith("[]")) {
            return type.substring(0, type.length() - 2).strip();
        }
        int lt = type.indexOf('<');
        if (lt > 0 && type.endsWith(">")) {
            return type.substring(lt + 1, type.length() - 1).strip();
        }
        return d.initializer().contains("\"") ? "String" : "";
    }

    private static String literalType(String initializer) {
        if (initializer.startsWith("\"")) {
            return "String";
        }
        if (initializer.equals("true") || initializer.equals("false")) {
            return "boolean";
        }
        return "";
    }

    private static String scalar(String type, String raw) {
        String value = raw.strip();
        switch (type) {
            case "String", "CharSequence" -> {
                if (value.startsWith("\"")) {
                    return value;
                }
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1);
                }
                return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
            case "boolean", "Boolean" -> {
                return switch (value) {
                    case "True" -> "true";
                    case "False" -> "false";
                    default -> value;
                };
            }
            default -> {
                return value;
            }
        }
    }

    /** Splits on commas that are outside brackets, parentheses, braces and quotes. */
    private static List<String> splitTopLevel(String text) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if ("([{<".indexOf(c) >= 0) {
                depth++;
            } else if (")]}>".indexOf(c) >= 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(current.toString().strip());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (!current.toString().isBlank()) {
            items.add(current.toString().strip());
        }
        return items;
    }
}
