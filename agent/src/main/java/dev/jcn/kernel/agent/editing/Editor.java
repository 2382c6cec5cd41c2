package dev.jcn.kernel.agent.editing;

import com.sun.source.doctree.DocCommentTree;
import dev.jcn.kernel.wire.Reply;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/**
 * Completion with types and inspection with rendered javadoc for one JShell, the way a Java IDE
 * shows them. JShell's own analysis finds what may follow the cursor and the type of the expression
 * before a dot; the rest comes from the classes themselves (reflection, never initializing a class
 * or running user code), the snippets the cells declared, and the sources of the JDK and of the
 * libraries ({@link Sources}), whose doc comments are rendered from their trees ({@link DocText}).
 *
 * <pre>{@code
 * Editor editor = new Editor(shell, analysis, loader, Sources.ofJdk(), snippetId -> cellOf(snippetId), imports);
 * List<Reply.Candidate> items = editor.complete("ex.sub", 6, anchor);   // submit(Callable<T> task), ...
 * Reply.Documentation doc = editor.inspect("Thread.ofVirtual()", 10);
 * }</pre>
 *
 * <p>Callers hold the shell's lock: JShell's analysis is used here as it would be by its own tool.
 */
public final class Editor {

    /** Kinds of completion, shown by JupyterLab as an icon per entry. */
    static final String METHOD = "method", FIELD = "field", CLASS = "class", INTERFACE = "interface",
            ENUM = "enum", KEYWORD = "keyword", VARIABLE = "variable", PACKAGE = "package";

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits",
            "non-sealed");

    private static final String STATIC = "static ";

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final Sources sources;
    private final IntFunction<Integer> cellOfSnippet;
    private final TypeNames types;
    private final Supplier<List<String>> imports;

    /**
     * @param cellOfSnippet the cell that declared the snippet with that id ({@link Snippet#id()}
     *     parsed as a number), or null when unknown
     * @param imports the session's imports, each as written after {@code import} ({@code java.util.*},
     *     {@code static a.B.*})
     */
    public Editor(JShell shell, SourceCodeAnalysis analysis, ClassLoader loader, Sources sources, IntFunction<Integer> cellOfSnippet,
            Supplier<List<String>> imports) {
        this.shell = shell;
        this.imports = imports;
        this.analysis = analysis;
        this.sources = sources;
        this.cellOfSnippet = cellOfSnippet;
        this.types = new TypeNames(loader, this::typeImports);
    }

    public Sources sources() {
        return sources;
    }

    private List<String> typeImports() {
        return imports.get().stream().filter(i -> !i.startsWith(STATIC)).toList();
    }

    // ---- completion ----

    /**
     * The completions of {@code snippet} at {@code cursor}, each with the text to insert, a label
     * (a method's parameters), a kind and a signature. {@code anchor[0]} is set to where the
     * inserted text starts.
     */
    public List<Reply.Candidate> complete(String snippet, int cursor, int[] anchor) {
        Set<String> continuations = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(snippet, cursor, anchor)) {
            continuations.add(s.continuation());
        }
        // JShell offers keywords in few places; a word that starts a name may always be one
        int word = cursor;
        while (word > 0 && Character.isJavaIdentifierPart(snippet.charAt(word - 1))) {
            word--;
        }
        String typed = snippet.substring(word, cursor);
        if (!typed.isEmpty() && Character.isJavaIdentifierStart(typed.charAt(0)) && (word == 0 || snippet.charAt(word - 1) != '.')) {
            if (continuations.isEmpty()) {
                anchor[0] = word;
            }
            if (anchor[0] == word) {
                KEYWORDS.stream().filter(k -> k.startsWith(typed) && !k.equals(typed)).sorted().forEach(continuations::add);
            }
        }
        if (continuations.isEmpty()) {
            return List.of();
        }
        String before = snippet.substring(0, anchor[0]);
        Owner owner = ownerBefore(before);
        boolean afterNew = before.stripTrailing().endsWith("new") && before.length() > before.stripTrailing().length();
        List<Reply.Candidate> out = new ArrayList<>();
        for (String c : continuations) {
            // JShell closes the call of a method without parameters: "shutdown()"
            if (c.endsWith("(") || c.endsWith("()")) {
                String name = c.substring(0, c.indexOf('('));
                List<Reply.Candidate> calls = afterNew ? constructors(owner, name, c) : methods(owner, name, c);
                out.addAll(calls.isEmpty() ? List.of(new Reply.Candidate(c, c, METHOD, "")) : calls);
            } else {
                out.add(other(owner, c));
            }
        }
        return out;
    }

    /** What the expression before a dot is: a type (static members), a value's type, a package, or nothing. */
    private record Owner(Class<?> type, boolean isStatic, String qualifier) {
        static final Owner NONE = new Owner(null, false, null);
    }

    private Owner ownerBefore(String before) {
        if (!before.endsWith(".")) {
            return Owner.NONE;
        }
        String q = qualifierBefore(before, before.length() - 1);
        if (q.isEmpty()) {
            return Owner.NONE;
        }
        // a cell's variable has its declared type at hand, and obscures a type of the same name
        Class<?> declared = cellVariable(q).map(v -> types.resolve(v.typeName())).orElse(null);
        if (declared != null) {
            return new Owner(declared, false, q);
        }
        String asClass = analysis.analyzeType(q + ".class", q.length() + 6);
        if (asClass != null && asClass.startsWith("Class<") && asClass.endsWith(">")) {
            Class<?> c = types.resolve(asClass.substring(6, asClass.length() - 1));
            if (c != null) {
                return new Owner(c, true, q);
            }
        }
        String type = analysis.analyzeType(q, q.length());
        Class<?> c = types.resolve(type);
        return new Owner(c, false, q);
    }

    /** The expression that ends just before {@code end} (a dot or a call's parenthesis), or empty. */
    static String qualifierBefore(String code, int end) {
        int i = end;
        int depth = 0;
        while (i > 0) {
            char c = code.charAt(i - 1);
            if (c == ')' || c == ']' || c == '>') {
                depth++;
            } else if (c == '(' || c == '[' || c == '<') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && !(Character.isJavaIdentifierPart(c) || c == '.')) {
                break;
            }
            i--;
        }
        return code.substring(i, end).strip();
    }

    private List<Reply.Candidate> methods(Owner owner, String name, String text) {
        List<Reply.Candidate> out = new ArrayList<>();
        if (owner.type() != null) {
            for (Method m : publicMethods(owner.type(), name)) {
                if (!owner.isStatic() || Modifier.isStatic(m.getModifiers())) {
                    out.add(callCandidate(m, text));
                }
            }
            return out;
        }
        if (owner.qualifier() != null) {
            return out;
        }
        for (MethodSnippet m : cellMethods(name)) {
            CellDeclaration d = CellDeclaration.of(m);
            out.add(new Reply.Candidate(text, d.call(), METHOD, d.signature()));
        }
        if (out.isEmpty()) {
            for (Method m : staticallyImported(name)) {
                out.add(callCandidate(m, text));
            }
        }
        return out;
    }

    private List<Reply.Candidate> constructors(Owner owner, String name, String text) {
        Class<?> c = owner.type() != null ? types.load(owner.type().getName() + "$" + name)
                : types.resolve(owner.qualifier() == null ? name : owner.qualifier() + "." + name);
        if (c == null) {
            return List.of();
        }
        return Stream.of(c.getConstructors()).sorted(Comparator.comparingInt(Constructor::getParameterCount))
                .map(k -> callCandidate(k, text)).toList();
    }

    private Reply.Candidate callCandidate(Executable e, String text) {
        List<String> names = sources.method(e).map(Sources.Member::parameterNames).orElse(null);
        return new Reply.Candidate(text, TypeNames.call(e, names), METHOD, TypeNames.signature(e, names));
    }

    private Reply.Candidate other(Owner owner, String c) {
        if (c.endsWith(".")) {
            String name = c.substring(0, c.length() - 1);
            String full = owner.qualifier() == null ? name : owner.qualifier() + "." + name;
            return new Reply.Candidate(c, name, PACKAGE, "package " + full);
        }
        if (owner.type() != null) {
            Field f = publicField(owner.type(), c);
            if (f != null) {
                return new Reply.Candidate(c, c, FIELD, TypeNames.simple(f.getGenericType()) + " " + c);
            }
            Class<?> nested = types.load(owner.type().getName() + "$" + c);
            if (nested != null) {
                return typeCandidate(c, nested);
            }
            return new Reply.Candidate(c, c, KEYWORDS.contains(c) ? KEYWORD : FIELD, "");
        }
        if (owner.qualifier() != null) {
            Class<?> inPackage = types.load(owner.qualifier() + "." + c);
            return inPackage != null ? typeCandidate(c, inPackage) : new Reply.Candidate(c, c, PACKAGE, "package " + owner.qualifier() + "." + c);
        }
        if (KEYWORDS.contains(c)) {
            return new Reply.Candidate(c, c, KEYWORD, "");
        }
        Optional<VarSnippet> variable = cellVariable(c);
        if (variable.isPresent()) {
            return new Reply.Candidate(c, c, VARIABLE, typeName(variable.get()) + " " + c);
        }
        Optional<TypeDeclSnippet> cellType = shell.types().filter(t -> t.name().equals(c) && shell.status(t).isActive()).findFirst();
        if (cellType.isPresent()) {
            String kind = switch (cellType.get().subKind()) {
                case INTERFACE_SUBKIND, ANNOTATION_TYPE_SUBKIND -> INTERFACE;
                case ENUM_SUBKIND -> ENUM;
                default -> CLASS;
            };
            return new Reply.Candidate(c, c, kind, CellDeclaration.typeHeader(cellType.get()));
        }
        Class<?> type = types.resolve(c);
        if (type != null) {
            return typeCandidate(c, type);
        }
        Field imported = staticallyImportedField(c);
        if (imported != null) {
            return new Reply.Candidate(c, c, FIELD, TypeNames.simple(imported.getGenericType()) + " " + c);
        }
        if (isPackage(c)) {
            return new Reply.Candidate(c, c, PACKAGE, "package " + c);
        }
        return new Reply.Candidate(c, c, VARIABLE, "");
    }

    private static Reply.Candidate typeCandidate(String text, Class<?> c) {
        String kind = c.isEnum() ? ENUM : c.isInterface() ? INTERFACE : CLASS;
        return new Reply.Candidate(text, text, kind, TypeNames.declarationKind(c) + " " + c.getName().replace('$', '.'));
    }

    private static boolean isPackage(String name) {
        String prefix = name + ".";
        return ModuleLayer.boot().modules().stream().flatMap(m -> m.getPackages().stream())
                .anyMatch(p -> p.equals(name) || p.startsWith(prefix));
    }

    /** Public methods named {@code name} of {@code c}, overridden ones once, fewest parameters first. */
    private static List<Method> publicMethods(Class<?> c, String name) {
        Map<String, Method> byParameters = new LinkedHashMap<>();
        Stream<Method> all = Stream.of(c.getMethods());
        if (c.isInterface()) {
            all = Stream.concat(all, Stream.of(Object.class.getMethods()));
        }
        all.filter(m -> m.getName().equals(name) && !m.isBridge() && !m.isSynthetic())
                .forEach(m -> byParameters.merge(Arrays.toString(m.getParameterTypes()), m,
                        (a, b) -> a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a));
        return byParameters.values().stream().sorted(Comparator.comparingInt(Method::getParameterCount)).toList();
    }

    private static Field publicField(Class<?> c, String name) {
        try {
            return c.getField(name);
        } catch (NoSuchFieldException | SecurityException | LinkageError e) {
            return null;
        }
    }

    private List<Class<?>> staticImportOwners() {
        List<Class<?>> owners = new ArrayList<>();
        imports.get().stream().filter(i -> i.startsWith(STATIC)).forEach(i -> {
            String full = i.substring(STATIC.length());
            String owner = full.substring(0, full.lastIndexOf('.'));
            Class<?> c = types.resolve(owner);
            if (c != null && !owners.contains(c)) {
                owners.add(c);
            }
        });
        return owners;
    }

    private List<Method> staticallyImported(String name) {
        return staticImportOwners().stream().flatMap(c -> publicMethods(c, name).stream())
                .filter(m -> Modifier.isStatic(m.getModifiers())).toList();
    }

    private Field staticallyImportedField(String name) {
        return staticImportOwners().stream().map(c -> publicField(c, name))
                .filter(f -> f != null && Modifier.isStatic(f.getModifiers())).findFirst().orElse(null);
    }

    /** A variable's declared type as written by hand ({@code Map<String, Integer>}); JShell leaves out the spaces. */
    private static String typeName(VarSnippet v) {
        return v.typeName().replaceAll(",(?=\\S)", ", ");
    }

    private Optional<VarSnippet> cellVariable(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isActive()).findFirst();
    }

    private List<MethodSnippet> cellMethods(String name) {
        return shell.methods().filter(m -> m.name().equals(name) && shell.status(m).isActive()).toList();
    }

    // ---- inspection ----

    /** Markdown and plain text about what is at {@code cursor}; empty texts when nothing is known. */
    public Reply.Documentation inspect(String snippet, int cursor) {
        Target target = Target.at(snippet, cursor);
        if (target == null) {
            return new Reply.Documentation("", "");
        }
        Page page = new Page();
        if (target.qualifier().isEmpty()) {
            describeUnqualified(target, page);
        } else {
            Owner owner = ownerBefore(target.qualifier() + ".");
            if (owner.type() != null) {
                describeMembers(owner.type(), target.name(), owner.isStatic(), page);
            } else {
                Class<?> c = types.load(target.qualifier() + "." + target.name());
                if (c != null) {
                    describeType(c, page);
                }
            }
        }
        if (page.isEmpty()) {
            describeByJShell(snippet, target, page);
        }
        return page.documentation(sources.jdkProblem());
    }

    private void describeUnqualified(Target target, Page page) {
        String name = target.name();
        if (target.constructor()) {
            Class<?> c = types.resolve(name);
            if (c != null) {
                for (Constructor<?> k : c.getConstructors()) {
                    describeExecutable(k, page);
                }
                return;
            }
        }
        for (MethodSnippet m : cellMethods(name)) {
            describeSnippet(CellDeclaration.of(m).signature(), m, page);
        }
        shell.types().filter(t -> t.name().equals(name) && shell.status(t).isActive())
                .forEach(t -> describeSnippet(CellDeclaration.typeHeader(t), t, page));
        cellVariable(name).ifPresent(v -> page.add(typeName(v) + " " + name, DocText.Rendered.EMPTY, where(v), null));
        if (!page.isEmpty()) {
            return;
        }
        Class<?> c = types.resolve(name);
        if (c != null && !c.isPrimitive()) {
            describeType(c, page);
            return;
        }
        for (Method m : staticallyImported(name)) {
            describeExecutable(m, page);
        }
    }

    private void describeSnippet(String signature, Snippet s, Page page) {
        DocCommentTree comment = CellDeclaration.comment(s.source());
        page.add(signature, DocText.render(comment, null), where(s), s.source().strip());
    }

    private String where(Snippet s) {
        Integer cell = null;
        try {
            cell = cellOfSnippet.apply(Integer.parseInt(s.id()));
        } catch (NumberFormatException e) {
            // a start-up snippet has an id like "s1" and no cell
        }
        return cell == null || cell == 0 ? "declared in this session" : "declared in cell " + cell;
    }

    private void describeMembers(Class<?> owner, String name, boolean onlyStatic, Page page) {
        for (Method m : publicMethods(owner, name)) {
            if (!onlyStatic || Modifier.isStatic(m.getModifiers())) {
                describeExecutable(m, page);
            }
        }
        Field f = publicField(owner, name);
        if (f != null) {
            String signature = modifiers(f) + TypeNames.simple(f.getGenericType()) + " "
                    + TypeNames.simple(f.getDeclaringClass()) + "." + name;
            page.add(signature, DocText.render(sources.field(f).map(Sources.Member::doc).orElse(null), null), null, null);
        }
        Class<?> nested = types.load(owner.getName() + "$" + name);
        if (nested != null) {
            describeType(nested, page);
        }
    }

    private void describeExecutable(Executable e, Page page) {
        Optional<Sources.Member> source = sources.method(e);
        List<String> names = source.map(Sources.Member::parameterNames).orElse(null);
        String signature = modifiers(e) + TypeNames.signature(e, names);
        if (e instanceof Method m) {
            signature = signature.replace(" " + m.getName() + "(", " " + TypeNames.simple(m.getDeclaringClass()) + "." + m.getName() + "(");
        }
        DocCommentTree doc = source.map(Sources.Member::doc).orElse(null);
        DocCommentTree inherited = e instanceof Method m && needsInherited(doc) ? inheritedDoc(m) : null;
        page.add(signature, DocText.render(doc, inherited), null, null);
    }

    private static boolean needsInherited(DocCommentTree doc) {
        return doc == null || doc.toString().contains("{@inheritDoc}") || doc.getFullBody().isEmpty();
    }

    /** The comment of the first method {@code m} overrides that has one. */
    private DocCommentTree inheritedDoc(Method m) {
        List<Class<?>> supertypes = new ArrayList<>();
        for (Class<?> c = m.getDeclaringClass(); c != null; c = c.getSuperclass()) {
            if (c != m.getDeclaringClass()) {
                supertypes.add(c);
            }
            for (Class<?> i : c.getInterfaces()) {
                addInterfaces(i, supertypes);
            }
        }
        for (Class<?> s : supertypes) {
            try {
                Method overridden = s.getDeclaredMethod(m.getName(), m.getParameterTypes());
                DocCommentTree doc = sources.method(overridden).map(Sources.Member::doc).orElse(null);
                if (doc != null && !doc.getFullBody().isEmpty()) {
                    return doc;
                }
            } catch (NoSuchMethodException | LinkageError e) {
                // not declared there
            }
        }
        return null;
    }

    private static void addInterfaces(Class<?> i, List<Class<?>> into) {
        if (!into.contains(i)) {
            into.add(i);
            for (Class<?> s : i.getInterfaces()) {
                addInterfaces(s, into);
            }
        }
    }

    private void describeType(Class<?> c, Page page) {
        String header = modifiers(c) + TypeNames.declarationKind(c) + " " + c.getName().replace('$', '.');
        page.add(header, DocText.render(sources.type(c).map(Sources.Member::doc).orElse(null), null), null, null);
    }

    private static String modifiers(Member m) {
        int mods = m.getModifiers() & (Modifier.STATIC | Modifier.ABSTRACT | Modifier.FINAL);
        if (m.getDeclaringClass().isInterface()) {
            mods &= ~Modifier.ABSTRACT;
        }
        return modifierText(mods);
    }

    private static String modifiers(Class<?> c) {
        int mods = c.getModifiers() & (Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
        if (c.isInterface() || c.isEnum() || c.isRecord()) {
            mods &= ~(Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
        }
        return (c.isSealed() ? "sealed " : "") + modifierText(mods);
    }

    private static String modifierText(int mods) {
        String text = Modifier.toString(mods);
        return text.isEmpty() ? "" : text + " ";
    }

    /** What JShell itself documents, for what the reflection above cannot name (a local variable, a lambda's parameter). */
    private void describeByJShell(String snippet, Target target, Page page) {
        int at = target.end();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, at, true);
        if (docs.isEmpty() && !target.constructor()) {
            docs = analysis.documentation(snippet.substring(0, at) + "(", at + 1, true);
        }
        for (SourceCodeAnalysis.Documentation d : docs) {
            DocCommentTree comment = d.javadoc() == null || d.javadoc().isBlank() ? null : Sources.parseComment(d.javadoc());
            page.add(d.signature(), DocText.render(comment, null), null, null);
        }
    }

    /** The documentation being put together: one entry per declaration. */
    private static final class Page {
        private record Entry(String signature, DocText.Rendered doc, String where, String source) {}

        private final List<Entry> entries = new ArrayList<>();

        void add(String signature, DocText.Rendered doc, String where, String source) {
            entries.add(new Entry(signature, doc, where, source));
        }

        boolean isEmpty() {
            return entries.isEmpty();
        }

        Reply.Documentation documentation(String jdkProblem) {
            if (entries.isEmpty()) {
                return new Reply.Documentation("", "");
            }
            StringBuilder md = new StringBuilder();
            StringBuilder plain = new StringBuilder();
            boolean undocumented = false;
            for (Entry e : entries) {
                if (!md.isEmpty()) {
                    md.append("\n\n---\n\n");
                    plain.append("\n\n");
                }
                md.append("```java\n").append(e.signature()).append("\n```\n");
                plain.append(e.signature()).append('\n');
                if (!e.doc().isEmpty()) {
                    md.append('\n').append(e.doc().markdown()).append('\n');
                    plain.append('\n').append(e.doc().plain()).append('\n');
                } else if (e.where() == null) {
                    undocumented = true;
                }
                if (e.where() != null) {
                    md.append('\n').append(DocText.escape(e.where())).append(e.source() == null ? "\n" : ":\n\n```java\n" + e.source() + "\n```\n");
                    plain.append('\n').append(e.where()).append(e.source() == null ? "\n" : ":\n\n" + e.source() + "\n");
                }
            }
            if (undocumented && jdkProblem != null) {
                md.append("\n*").append(DocText.escape(jdkProblem)).append("*\n");
                plain.append('\n').append(jdkProblem).append('\n');
            }
            return new Reply.Documentation(md.toString().strip(), plain.toString().strip());
        }
    }

    /**
     * The name that inspection documents at a cursor: the identifier under or just before the
     * cursor; else the method whose argument list the cursor is in; else the call that ends just
     * before the cursor. {@code qualifier} is the expression before its dot, or empty.
     */
    record Target(String name, String qualifier, boolean constructor, int end) {

        static Target at(String code, int cursor) {
            int c = Math.clamp(cursor, 0, code.length());
            int start = c;
            int end = c;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
                start--;
            }
            if (start == end) {
                int open = openCallBefore(code, c);
                if (open < 0 && c > 0 && code.charAt(c - 1) == ')') {
                    open = matchingOpen(code, c - 1);
                }
                if (open < 0) {
                    return null;
                }
                end = open;
                while (end > 0 && Character.isWhitespace(code.charAt(end - 1))) {
                    end--;
                }
                start = end;
                while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
                    start--;
                }
                if (start == end) {
                    return null;
                }
            }
            String name = code.substring(start, end);
            if (!Character.isJavaIdentifierStart(name.charAt(0))) {
                return null;
            }
            int dot = start;
            while (dot > 0 && Character.isWhitespace(code.charAt(dot - 1))) {
                dot--;
            }
            String qualifier = dot > 0 && code.charAt(dot - 1) == '.' ? qualifierBefore(code, dot - 1) : "";
            boolean constructor = code.substring(0, start).stripTrailing().endsWith("new")
                    && (start - code.substring(0, start).stripTrailing().length()) > 0;
            return new Target(name, qualifier, constructor, end);
        }

        /** The unclosed parenthesis before {@code cursor} that follows a name, or -1. */
        private static int openCallBefore(String code, int cursor) {
            int depth = 0;
            for (int i = cursor - 1; i >= 0; i--) {
                char ch = code.charAt(i);
                if (ch == ')') {
                    depth++;
                } else if (ch == '(') {
                    if (depth == 0) {
                        return i;
                    }
                    depth--;
                } else if (depth == 0 && (ch == ';' || ch == '{' || ch == '}')) {
                    return -1;
                }
            }
            return -1;
        }

        private static int matchingOpen(String code, int close) {
            int depth = 0;
            for (int i = close; i >= 0; i--) {
                if (code.charAt(i) == ')') {
                    depth++;
                } else if (code.charAt(i) == '(' && --depth == 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
