package dev.jcn.kernel.agent.editing;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Java sources of the JDK ({@code lib/src.zip} of the running JDK) and of libraries whose
 * sources jar lies next to their jar ({@code x-1.0.jar} and {@code x-1.0-sources.jar}, as in a Maven
 * repository), parsed on demand with the JDK's compiler (parse only: nothing is compiled or run) and
 * kept for the most recently used classes. They give parameter names, which class files lack, and
 * doc comments as trees.
 *
 * <pre>{@code
 * Sources sources = Sources.ofJdk();
 * sources.addJar(Path.of("helpers-0.1.0.jar"));     // reads helpers-0.1.0-sources.jar when it exists
 * Optional<Sources.Member> m = sources.method(ExecutorService.class.getMethod("submit", Runnable.class));
 * }</pre>
 */
public final class Sources {

    /** A declaration found in a source file: its parameter names (empty for fields and types) and comment. */
    public record Member(List<String> parameterNames, DocCommentTree doc) {}

    private record Parsed(CompilationUnitTree unit, DocTrees trees) {}

    private static final int KEPT_FILES = 24;

    private final List<Path> roots = new CopyOnWriteArrayList<>();
    /** Jars whose sources jar is not open yet: not looked for yet, or not there yet. */
    private final List<Path> awaited = new CopyOnWriteArrayList<>();
    /**
     * The JDK's {@code src.zip} until the first look-up opens it: reading its 15,000 entries costs the
     * user JVM's start tens of milliseconds that only javadoc and parameter names need.
     */
    private Path unopenedJdk;
    private volatile String jdkProblem;
    private final Map<String, Optional<Parsed>> parsed = new LinkedHashMap<>(KEPT_FILES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Parsed>> eldest) {
            return size() > KEPT_FILES;
        }
    };

    private Sources(String jdkProblem) {
        this.jdkProblem = jdkProblem;
    }

    /** The JDK's sources; without {@code src.zip}, {@link #jdkProblem()} says so. */
    public static Sources ofJdk() {
        Path home = Path.of(System.getProperty("java.home"));
        Path zip = home.resolve("lib").resolve("src.zip");
        if (!Files.isReadable(zip)) {
            return new Sources("the JDK's sources are not installed (" + zip + " is missing), so JDK classes have no javadoc here");
        }
        Sources s = new Sources(null);
        s.unopenedJdk = zip;
        return s;
    }

    /** Opens the JDK's sources, before the sources jars in look-ups, if no look-up has yet. */
    private synchronized void openJdk() {
        Path zip = unopenedJdk;
        if (zip == null) {
            return;
        }
        unopenedJdk = null;
        try {
            FileSystem fs = FileSystems.newFileSystem(zip);
            roots.addFirst(fs.getRootDirectories().iterator().next());
        } catch (IOException | RuntimeException e) {
            jdkProblem = "the JDK's sources in " + zip + " cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Why JDK classes have no javadoc, or null when they have. */
    public String jdkProblem() {
        openJdk();
        return jdkProblem;
    }

    /**
     * Reads the sources jar next to {@code jar} on the first look-up that finds no source, or a later one
     * when it is not there yet (the kernel fetches those of {@code %maven} libraries in the background).
     * Not now: opening the first jar as a file system looks for file-system providers in every jar of the
     * class path, which the user JVM's start would wait for on the thread that builds JShell.
     */
    public void addJar(Path jar) {
        String name = jar.getFileName().toString();
        if (name.endsWith(".jar") && !name.endsWith("-sources.jar")) {
            awaited.add(jar);
        }
    }

    private boolean openSources(Path jar) {
        String name = jar.getFileName().toString();
        Path sources = jar.resolveSibling(name.substring(0, name.length() - 4) + "-sources.jar");
        if (!Files.isReadable(sources)) {
            return false;
        }
        try {
            FileSystem fs = FileSystems.newFileSystem(sources);
            roots.add(fs.getRootDirectories().iterator().next());
            return true;
        } catch (IOException | RuntimeException e) {
            return true; // unreadable: looking again will not help
        }
    }

    /** Opens the sources jars that have arrived since; whether any did (then classes without sources are looked up again). */
    private boolean arrived() {
        boolean any = false;
        for (Path jar : awaited) {
            if (openSources(jar)) {
                awaited.remove(jar);
                any = true;
            }
        }
        if (any) {
            synchronized (parsed) {
                parsed.values().removeIf(Optional::isEmpty);
            }
        }
        return any;
    }

    /** The source of method or constructor {@code e}: parameter names and comment. */
    public Optional<Member> method(java.lang.reflect.Executable e) {
        return classTree(e.getDeclaringClass()).flatMap(found -> {
            String name = e instanceof java.lang.reflect.Constructor<?> ? "<init>" : e.getName();
            MethodTree best = null;
            int bestScore = -1;
            for (Tree t : found.tree().getMembers()) {
                if (t instanceof MethodTree m && m.getName().contentEquals(name)
                        && m.getParameters().size() == e.getParameterCount()) {
                    int score = matchingParameters(m, e);
                    if (score > bestScore) {
                        best = m;
                        bestScore = score;
                    }
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            List<String> names = best.getParameters().stream().map(p -> p.getName().toString()).toList();
            return Optional.of(new Member(names, doc(found, best)));
        });
    }

    /** The source of field (or enum constant) {@code f}. */
    public Optional<Member> field(java.lang.reflect.Field f) {
        return classTree(f.getDeclaringClass()).flatMap(found -> found.tree().getMembers().stream()
                .filter(t -> t instanceof VariableTree v && v.getName().contentEquals(f.getName()))
                .findFirst()
                .map(t -> new Member(List.of(), doc(found, t))));
    }

    /** The source of class {@code c}: its comment. */
    public Optional<Member> type(Class<?> c) {
        return classTree(c).map(found -> new Member(List.of(), doc(found, found.tree())));
    }

    private record Found(Parsed parsed, ClassTree tree) {}

    private static DocCommentTree doc(Found found, Tree member) {
        TreePath path = TreePath.getPath(found.parsed().unit(), member);
        return path == null ? null : found.parsed().trees().getDocCommentTree(path);
    }

    /** How many parameters of {@code m} name the same simple type as {@code e}'s, erased. */
    private static int matchingParameters(MethodTree m, java.lang.reflect.Executable e) {
        int score = 0;
        Class<?>[] types = e.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            String written = m.getParameters().get(i).getType().toString().replaceAll("<.*>", "").replace("...", "[]");
            written = written.substring(written.lastIndexOf('.') + 1).strip();
            if (written.equals(types[i].getSimpleName())) {
                score++;
            }
        }
        return score;
    }

    private Optional<Found> classTree(Class<?> c) {
        List<String> nesting = new ArrayList<>();
        Class<?> top = c;
        while (top.getEnclosingClass() != null) {
            nesting.addFirst(top.getSimpleName());
            top = top.getEnclosingClass();
        }
        if (top.isAnonymousClass() || top.isHidden() || top.getPackageName().startsWith("REPL")) {
            return Optional.empty();
        }
        nesting.addFirst(top.getSimpleName());
        String file = top.getName().replace('.', '/') + ".java";
        String module = top.getModule().isNamed() ? top.getModule().getName() : null;
        return parse(module, file).flatMap(p -> {
            List<? extends Tree> level = p.unit().getTypeDecls();
            ClassTree found = null;
            for (String simple : nesting) {
                found = null;
                for (Tree t : level) {
                    if (t instanceof ClassTree ct && ct.getSimpleName().contentEquals(simple)) {
                        found = ct;
                        break;
                    }
                }
                if (found == null) {
                    return Optional.empty();
                }
                level = found.getMembers();
            }
            return Optional.of(new Found(p, found));
        });
    }

    private Optional<Parsed> parse(String module, String file) {
        String key = module + "/" + file;
        Optional<Parsed> known;
        synchronized (parsed) {
            known = parsed.get(key);
        }
        if (known != null && (known.isPresent() || !arrived())) {
            return known;
        }
        Optional<Parsed> result = find(module, file);
        if (result.isEmpty() && known == null && arrived()) {
            result = find(module, file);
        }
        synchronized (parsed) {
            parsed.put(key, result);
        }
        return result;
    }

    private Optional<Parsed> find(String module, String file) {
        openJdk();
        Optional<Parsed> result = Optional.empty();
        for (Path root : roots) {
            Path source = module != null && Files.isDirectory(root.resolve(module)) ? root.resolve(module).resolve(file) : root.resolve(file);
            if (Files.isReadable(source)) {
                result = parseFile(source);
                break;
            }
        }
        return result;
    }

    private static Optional<Parsed> parseFile(Path source) {
        try {
            return parseText(source.getFileName().toString(), Files.readString(source));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Parsed> parseText(String name, String text) {
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) javac.getTask(null, null, diagnostic -> { }, List.of("-proc:none"), null, List.of(file));
        try {
            return Optional.of(new Parsed(task.parse().iterator().next(), DocTrees.instance(task)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A declaration parsed from a cell's source, with its doc comment (or null). */
    record Declared(Tree tree, DocCommentTree doc) {}

    /**
     * Parses {@code memberSource}, the source of one method, class or field as a cell declares it,
     * or null when it does not parse as one.
     */
    static Declared parseMember(String memberSource) {
        return parseText("C.java", "class C {\n" + memberSource + "\n}\n").flatMap(p -> {
            ClassTree c = (ClassTree) p.unit().getTypeDecls().getFirst();
            return c.getMembers().stream().findFirst()
                    .map(m -> new Declared(m, p.trees().getDocCommentTree(TreePath.getPath(p.unit(), m))));
        }).orElse(null);
    }

    /** Parses the comment {@code text} (the body of a doc comment, without its delimiters) into a tree, or null. */
    public static DocCommentTree parseComment(String text) {
        Declared d = parseMember("/**\n" + text.replace("*/", "*&#47;") + "\n*/\nvoid m() {}");
        return d == null ? null : d.doc();
    }
}
