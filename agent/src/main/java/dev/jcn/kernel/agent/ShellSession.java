package dev.jcn.kernel.agent;

import dev.jcn.kernel.agent.debug.CellLines;
import dev.jcn.kernel.agent.editing.Editor;
import dev.jcn.kernel.agent.editing.Sources;
import dev.jcn.kernel.wire.AgentLaunch;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Renderers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * The JShell that runs cells in the user JVM, and the answers to completion, inspection and
 * completeness questions about it.
 *
 * <pre>{@code
 * ShellSession session = ShellSession.open(CellClassPath.ofThisJvm(), List.of("java.util.*"));
 * Reply r = session.execute(1, "int x = 6 * 7; x");   // CellDone with the value 42
 * }</pre>
 *
 * <p>{@link #execute} runs on the cell's thread. The query methods run on another thread and use
 * the same JShell while user code runs (the engine releases the shell lock then); while JShell
 * compiles they wait a bounded time and give an empty answer rather than block.
 *
 * <p>A snippet beyond a limit of the class file format (a string constant over 65,535 UTF-8 bytes, a
 * method over 64 KB of bytecode, too many constants) fails with the compiler's own message. JShell
 * alone would keep it as a declaration that merely waits for something, and its compiler would fail
 * every later snippet with it; here the snippet is dropped and the compiler made afresh, so the session
 * keeps its variables and goes on.
 */
final class ShellSession implements AutoCloseable {

    /** Packages every cell sees without importing them. */
    static final List<String> STANDARD_IMPORTS = List.of(
            "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
            "java.util.concurrent.locks.*", "java.util.function.*", "java.util.stream.*",
            "java.time.*", "java.nio.file.*", "java.io.*", "java.math.*");
    /**
     * Chart and table packages every cell sees when their library is on the class path, each with
     * a class that tells it is. None of their public types shares a simple name with a type of
     * the other imported packages (ShellSessionTest checks), so none makes a name ambiguous.
     */
    static final Map<String, String> LIBRARY_IMPORTS = Map.of(
            "org.knowm.xchart.*", "org/knowm/xchart/XYChart.class",
            "tech.tablesaw.api.*", "tech/tablesaw/api/Table.class");
    /** The notebook API's types ({@code Service}, {@code MimeBundle}, ...), its widgets and its display functions. */
    static final List<String> NOTEBOOK_IMPORTS = List.of("dev.jcn.notebook.*", "dev.jcn.notebook.widgets.*",
            "static dev.jcn.notebook.Display.*");
    private static final String HELPERS_PREFIX = "dev/jcn/helpers/";
    private static final String HELPERS_PACKAGE = "dev.jcn.helpers.";
    private static final long QUERY_WAIT_MS = 700;
    /**
     * How much longer a question waits when the warm-up holds JShell: a round ends by itself, and the
     * two waits together stay well under the kernel's budget for an answer (UserJvmInterpreter).
     */
    private static final long WARM_UP_WAIT_MS = 1_100;
    /** Diagnostic codes of the class file format's limits ("constant string too long", "code too large"). */
    private static final String CLASS_FILE_LIMIT = "compiler.err.limit.";
    /** Longest source line shown under a compile error; a longer one is shown around the error. */
    private static final int MAX_SHOWN_LINE = 120;
    private static final Pattern SNIPPET_CLASS = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?");

    /**
     * Whether this JVM runs in debug mode: a debugger then needs local variables and each snippet's cell
     * lines, work that every other cell is spared.
     */
    private static final boolean DEBUGGER = Boolean.getBoolean(AgentLaunch.DEBUGGER);

    private record Origin(int cell, int line) {}

    /** Fair, so that a question waiting for JShell goes before the warm-up's next round. */
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean questioned;
    private volatile boolean warming;
    private final CellClassPath cellClassPath;
    private final SnippetLoader loader;
    private final CellExecutionControl control;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final Editor editor;
    /** Set for a cell's whole run: the shell lock alone is released while user code runs. */
    private volatile boolean cellActive;
    /**
     * The default imports as JShell holds them: one snippet, compiled once instead of once per package,
     * and the imports it declares (each like {@code java.util.*} or {@code static a.B.*}). JShell keys an
     * import snippet by its first import, so a cell importing that same package replaces the whole snippet;
     * {@link #execute} then declares the defaults again (see {@link #keepDefaults}).
     */
    private volatile ImportSnippet defaults;
    private volatile List<String> defaultImports = List.of();
    /** Whether the class path indexer still waits for the first completion request. */
    private final java.util.concurrent.atomic.AtomicBoolean indexingHeld = new java.util.concurrent.atomic.AtomicBoolean(true);

    private ShellSession(CellClassPath cellClassPath) {
        this.cellClassPath = cellClassPath;
        loader = new SnippetLoader(cellClassPath);
        control = new CellExecutionControl(loader, lock);
        List<String> compiler = new ArrayList<>(List.of("--enable-preview", "--source", Integer.toString(Runtime.version().feature())));
        if (DEBUGGER) {
            compiler.add("-g"); // local variables for the debugger's Variables panel
        }
        JShell.Builder builder = JShell.builder()
                .executionEngine(new CellExecutionControl.Provider(control), Map.of())
                .compilerOptions(compiler.toArray(String[]::new));
        PackageIndex index = PackageIndex.ofThisJvm();
        if (!index.isEmpty()) {
            builder.fileManager(fm -> new PackageIndexedFileManager(fm, index));
        }
        shell = builder.build();
        analysis = shell.sourceCodeAnalysis();
        // JShell indexes the JDK and the class path for package completion, seconds of CPU: the index
        // is made once someone completes code, and never while a cell runs (see JShellInternals)
        JShellInternals.suspendIndexing(analysis);
        Sources sources = Sources.ofJdk();
        cellClassPath.entries().forEach(sources::addJar);
        editor = new Editor(shell, analysis, loader.classLoader(), sources, id -> {
            Origin o = origins.get(Integer.toString(id));
            return o == null ? null : o.cell();
        }, this::imports);
    }

    /**
     * Starts JShell and imports {@code imports} (each like {@code java.util.*}). Its compiler sees
     * {@code java.class.path} (see {@link CellClassPath#install()}); {@code cellClassPath} decides what
     * jars added later may shadow.
     */
    static ShellSession open(CellClassPath cellClassPath, List<String> imports) {
        ShellSession s = new ShellSession(cellClassPath);
        s.importAll(imports);
        return s;
    }

    /** A JShell without imports yet; see {@link #open}. */
    static ShellSession create(CellClassPath cellClassPath) {
        return new ShellSession(cellClassPath);
    }

    /**
     * Imports {@code imports} (each like {@code java.util.*}) into every later cell, all in one snippet:
     * JShell compiles each snippet on its own, and the first compilation, javac's start, is most of the
     * cost of a compilation on a fresh JVM.
     */
    void importAll(List<String> imports) {
        lock.lock();
        try {
            defaultImports = List.copyOf(imports);
            declareDefaults();
        } finally {
            lock.unlock();
        }
    }

    private void declareDefaults() {
        StringBuilder code = new StringBuilder();
        for (String i : defaultImports) {
            code.append(code.isEmpty() ? "" : " ").append("import ").append(i).append(';');
        }
        List<SnippetEvent> events = shell.eval(code.toString());
        SnippetEvent declared = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
        if (declared == null || declared.status() != Snippet.Status.VALID || !(declared.snippet() instanceof ImportSnippet snippet)) {
            String why = declared == null ? "no snippet" : declared.status() + " "
                    + shell.diagnostics(declared.snippet()).map(d -> d.getMessage(Locale.ROOT)).toList();
            throw new IllegalStateException("start-up imports failed: " + why);
        }
        defaults = snippet;
    }

    /**
     * Declares the default imports again when a cell's import replaced their snippet (it imported the
     * package that comes first in it): the cell's import is among them, so nothing it asked for is lost.
     */
    private void keepDefaults(List<SnippetEvent> events) {
        ImportSnippet held = defaults;
        if (held != null && events.stream().anyMatch(e -> e.snippet() instanceof ImportSnippet)
                && shell.status(held) != Snippet.Status.VALID) {
            declareDefaults();
        }
    }

    /**
     * Every import cells see, each as written after {@code import}: the defaults, then the cells' own.
     * JShell's own list names a snippet of several imports by its first.
     */
    List<String> imports() {
        ImportSnippet held = defaults;
        List<String> all = new ArrayList<>(held != null && shell.status(held) == Snippet.Status.VALID ? defaultImports : List.of());
        shell.imports().filter(i -> i != held && shell.status(i) == Snippet.Status.VALID)
                .forEach(i -> all.add((i.isStatic() ? "static " : "") + i.fullname()));
        return all;
    }

    /** The class loader of snippet classes, to be the context loader of cell threads. */
    ClassLoader classLoader() {
        return loader.classLoader();
    }

    /** Whether the cell thread is inside user code right now (safe to stop by force). */
    boolean inUserCode() {
        return control.inUserCode();
    }

    /**
     * The standard imports, the chart and table packages that are on the class path, every
     * package of the helper library, and the notebook API with its display functions.
     */
    static List<String> defaultImports(CellClassPath cellClassPath) {
        List<String> all = new ArrayList<>(STANDARD_IMPORTS);
        new TreeSet<>(LIBRARY_IMPORTS.keySet()).stream()
                .filter(i -> ClassLoader.getSystemResource(LIBRARY_IMPORTS.get(i)) != null)
                .forEach(all::add);
        for (String pkg : helperPackages(cellClassPath.compilerPath(), PackageIndex.ofThisJvm())) {
            all.add(pkg + ".*");
        }
        all.addAll(NOTEBOOK_IMPORTS);
        return all;
    }

    /**
     * Packages under {@code dev.jcn.helpers} that have classes on {@code classPath}, sorted. A jar that
     * {@code index} knows as it is now, with no package there, is not opened (the helpers share the class
     * path with Hazelcast, fastutil and icu4j, whose directories hold some 40,000 entries); the others are
     * read, since a package holding only a {@code package-info} cannot be imported.
     */
    static Set<String> helperPackages(String classPath, PackageIndex index) {
        Set<String> packages = new TreeSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Set<String> known = index.packages(path);
                if (known != null && known.stream().noneMatch(p -> (p + ".").startsWith(HELPERS_PACKAGE))) {
                    continue;
                }
                try (ZipFile zip = new ZipFile(path.toFile())) {
                    zip.stream().map(e -> e.getName()).forEach(name -> addPackage(name, packages));
                } catch (IOException e) {
                    // an unreadable jar has no helpers for us
                }
            } else if (Files.isDirectory(path.resolve(HELPERS_PREFIX))) {
                try (Stream<Path> files = Files.walk(path.resolve(HELPERS_PREFIX))) {
                    files.forEach(f -> addPackage(path.relativize(f).toString().replace(File.separatorChar, '/'), packages));
                } catch (IOException e) {
                    // as above
                }
            }
        }
        return packages;
    }

    private static void addPackage(String entryName, Set<String> into) {
        if (entryName.startsWith(HELPERS_PREFIX) && entryName.endsWith(".class") && !entryName.contains("$")
                && !entryName.endsWith("module-info.class") && !entryName.endsWith("package-info.class")) {
            into.add(entryName.substring(0, entryName.lastIndexOf('/')).replace('/', '.'));
        }
    }

    /**
     * Runs a cell: its snippets in order. The reply is {@link Reply.CellDone} (with the value of the
     * last snippet when it is an expression), {@link Reply.CellFailed} or {@link Reply.CellInterrupted}.
     */
    Reply execute(int cell, String code) {
        cellActive = true;
        JShellInternals.suspendIndexing(analysis);
        lock.lock();
        List<jdk.jshell.DeclarationSnippet> recoverable = new ArrayList<>();
        try {
            String rest = code;
            int offset = 0;
            MimeBundle value = null;
            while (!rest.isBlank()) {
                if (Cells.isStopped(cell)) {
                    return new Reply.CellInterrupted(control.takeForced());
                }
                CompletionInfo info = analysis.analyzeCompletion(rest);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break; // only comments or whitespace left
                }
                if (!info.completeness().isComplete()) {
                    int at = offset + leadingSpace(rest);
                    return compileError(cell, code, at,
                            info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN
                                    ? "this does not parse as Java" : "the code is incomplete (a missing bracket, semicolon or quote?)");
                }
                // JShell puts the source of every import on top of each snippet class it compiles, so
                // an import that brings along the blank lines around it in the cell moves the line
                // numbers of every other snippet: JShell sees changed classes, and those it cannot
                // redefine it replaces with new ones. Each snippet goes to JShell stripped.
                String source = info.source();
                int start = offset + leadingSpace(source);
                source = source.strip();
                int consumed = rest.length() - info.remaining().length();
                if (consumed <= 0) {
                    break;
                }
                offset += consumed;
                rest = info.remaining();
                control.clearValue();
                control.lines().next(cell, cellLines(source, lineOf(code, start)));
                List<SnippetEvent> events = shell.eval(source);
                keepDefaults(events);
                value = null;
                for (SnippetEvent e : events) {
                    if (e.causeSnippet() != null) {
                        continue;
                    }
                    Snippet s = e.snippet();
                    origins.put(s.id(), new Origin(cell, lineOf(code, start)));
                    if (Cells.isStopped(cell)) {
                        return new Reply.CellInterrupted(control.takeForced());
                    }
                    if (e.status() == Snippet.Status.REJECTED) {
                        return rejected(cell, code, start, s);
                    }
                    List<Diag> limits = shell.diagnostics(s).filter(d -> d.isError() && d.getCode().startsWith(CLASS_FILE_LIMIT)).toList();
                    if (!limits.isEmpty()) {
                        return beyondClassFileLimits(cell, code, start, s, limits);
                    }
                    if (e.exception() != null) {
                        return exception(e.exception());
                    }
                    if (isValue(s) && rest.isBlank() && !(control.hasValue() && isOutputStream(control.value()))) {
                        value = control.hasValue() ? Renderers.render(control.value()) : MimeBundle.text(e.value());
                    }
                    if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                        recoverable.add((jdk.jshell.DeclarationSnippet) s);
                    }
                }
            }
            return new Reply.CellDone(value);
        } catch (CellStopped stopped) {
            return new Reply.CellInterrupted(control.takeForced() || stopped == CellStopped.FORCED);
        } finally {
            noteUnresolved(recoverable);
            cellActive = false;
            JShellInternals.resumeIndexing(analysis);
            while (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /**
     * Whether a cell's value is a print stream or writer, which the cell does not show. Such a
     * value is nearly always what {@code printf}, {@code format} and {@code append}
     * hand back for chaining ({@code System.out.printf("%d%n", 5)} returns {@code System.out}), and
     * its text is only a class name and a hash: the user wants the printed text, which is already
     * on the page. This holds for {@code System.out}, {@code System.err} and any other
     * {@link java.io.PrintStream} or {@link java.io.PrintWriter}; other values of such calls
     * ({@code StringBuilder.append}, {@code Formatter.format}) show their text as usual.
     */
    static boolean isOutputStream(Object value) {
        return value instanceof java.io.PrintStream || value instanceof java.io.PrintWriter;
    }

    private static boolean isValue(Snippet s) {
        return s instanceof ExpressionSnippet
                || (s instanceof VarSnippet && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    /**
     * Tells which declarations still wait for something undeclared once the cell is done: those
     * that only referred to later declarations of the same cell are complete by then.
     */
    private void noteUnresolved(List<jdk.jshell.DeclarationSnippet> recoverable) {
        if (!lock.isHeldByCurrentThread()) {
            lock.lock();
        }
        for (jdk.jshell.DeclarationSnippet s : recoverable) {
            Snippet.Status now = shell.status(s);
            if (now != Snippet.Status.RECOVERABLE_DEFINED && now != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                continue;
            }
            List<String> missing = shell.unresolvedDependencies(s).toList();
            if (!missing.isEmpty()) {
                System.err.println("note: " + s.source().strip().lines().findFirst().orElse("")
                        + " can be used once " + String.join(", ", missing) + " is declared");
            }
        }
    }

    private Reply.CellFailed rejected(int cell, String code, int snippetStart, Snippet s) {
        return compileErrors(cell, code, snippetStart, s, shell.diagnostics(s).filter(Diag::isError).toList());
    }

    /**
     * A snippet the class file cannot hold. JShell keeps it as recoverable and its compiler remembers
     * the overflowing constant (javac's pool writer is reused without being reset after the error), so
     * every later snippet would fail with it: the snippet is dropped and the compiler made afresh.
     */
    private Reply.CellFailed beyondClassFileLimits(int cell, String code, int snippetStart, Snippet s, List<Diag> limits) {
        shell.drop(s);
        Reply.CellFailed failed = compileErrors(cell, code, snippetStart, s, limits);
        String problem = JShellInternals.renewCompiler(shell);
        if (problem == null) {
            return failed;
        }
        List<String> traceback = new ArrayList<>(failed.traceback());
        traceback.add("(the compiler could not be renewed: " + problem + "; if later cells fail, restart the kernel)");
        return new Reply.CellFailed(failed.ename(), failed.evalue(), traceback);
    }

    private Reply.CellFailed compileErrors(int cell, String code, int snippetStart, Snippet s, List<Diag> diags) {
        if (diags.isEmpty()) {
            return compileError(cell, code, snippetStart + leadingSpace(s.source()), "the snippet was rejected");
        }
        Reply.CellFailed first = null;
        List<String> traceback = new ArrayList<>();
        for (Diag d : diags) {
            long pos = d.getPosition() == Diag.NOPOS ? d.getStartPosition() : d.getPosition();
            Reply.CellFailed one = compileError(cell, code, snippetStart + (int) Math.max(0, pos), d.getMessage(Locale.ROOT));
            if (first == null) {
                first = one;
            }
            traceback.addAll(one.traceback());
        }
        return new Reply.CellFailed(first.ename(), first.evalue(), traceback);
    }

    /** A compile error at {@code at} in the cell, shown with the line and a caret under the column. */
    private static Reply.CellFailed compileError(int cell, String code, int at, String message) {
        at = Math.min(Math.max(0, at), code.length());
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = code.indexOf('\n', at);
        if (lineEnd < 0) {
            lineEnd = code.length();
        }
        int line = lineOf(code, at);
        int column = at - lineStart + 1;
        String first = message.lines().findFirst().orElse(message);
        List<String> traceback = new ArrayList<>();
        traceback.add("cell " + cell + ", line " + line + ", column " + column + ": error: " + first);
        message.lines().skip(1).forEach(traceback::add);
        // A 70,000-character literal is shown as the part of its line around the error.
        int shownStart = lineEnd - lineStart <= MAX_SHOWN_LINE ? lineStart : Math.max(lineStart, at - MAX_SHOWN_LINE / 2);
        int shownEnd = Math.min(lineEnd, shownStart + MAX_SHOWN_LINE);
        traceback.add("    " + (shownStart > lineStart ? "…" : "") + code.substring(shownStart, shownEnd) + (shownEnd < lineEnd ? "…" : ""));
        traceback.add("    " + " ".repeat(Math.max(0, at - shownStart + (shownStart > lineStart ? 1 : 0))) + "^");
        return new Reply.CellFailed("CompilationError", "line " + line + ", column " + column + ": " + first, traceback);
    }

    private Reply.CellFailed exception(JShellException ex) {
        if (ex instanceof UnresolvedReferenceException u) {
            String name = u.getSnippet().source().strip().lines().findFirst().orElse("");
            String evalue = name + " uses something that is not declared: "
                    + String.join(", ", shell.unresolvedDependencies(u.getSnippet()).toList());
            return new Reply.CellFailed("UnresolvedReference", evalue, List.of(evalue));
        }
        EvalException e = (EvalException) ex;
        return new Reply.CellFailed(e.getExceptionClassName(), e.getMessage() == null ? "" : e.getMessage(), Traces.lines(e, this::frame));
    }

    /** A stack frame in the user's terms: snippet frames name the cell and the line in it. */
    String frame(StackTraceElement f) {
        String file = f.getFileName();
        String cls = SNIPPET_CLASS.matcher(f.getClassName()).replaceFirst("");
        if (cls.startsWith(".")) {
            cls = cls.substring(1);
        }
        String method = f.getMethodName();
        String where;
        if (file != null && file.startsWith("#")) {
            Origin o = origins.get(file.substring(1));
            where = o == null ? "" : "cell " + o.cell() + ", line " + (o.line() + Math.max(1, f.getLineNumber()) - 1);
            if (method.isEmpty() || method.equals("do_it$")) {
                return where.isEmpty() ? "cell" : where;
            }
        } else if (f.getClassName().startsWith("REPL.")) {
            Matcher m = Pattern.compile("\\$JShell\\$(\\d+)").matcher(f.getClassName());
            Origin o = m.find() ? origins.get(m.group(1)) : null;
            where = o == null ? "a cell" : "cell " + o.cell();
            if (method.equals("do_it$")) {
                return where;
            }
        } else {
            return f.toString();
        }
        return (cls.isEmpty() ? "" : cls + ".") + method + "(" + where + ")";
    }

    /**
     * The cell lines of the wrappers of {@code source}, which starts on line {@code firstLine} of its cell;
     * none outside debug mode.
     */
    private List<int[]> cellLines(String source, int firstLine) {
        if (!DEBUGGER) {
            return List.of();
        }
        try {
            return analysis.wrappers(source).stream().map(w -> CellLines.map(w, source, firstLine)).toList();
        } catch (RuntimeException e) {
            return List.of(); // a debugger then sees the snippet's classes without cell lines
        }
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String code, int index) {
        int line = 1;
        for (int i = 0; i < Math.min(index, code.length()); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ---- questions asked while a cell may be running ----

    /**
     * Takes the shell for a question, waiting a bounded time; JShell's class path indexer pauses until
     * {@link #leaveQuery}, so that a question does not share the cores with it.
     */
    private boolean enterQuery() {
        questioned = true;
        try {
            if (!lock.tryLock(QUERY_WAIT_MS, TimeUnit.MILLISECONDS)
                    && !(warming && lock.tryLock(WARM_UP_WAIT_MS, TimeUnit.MILLISECONDS))) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        JShellInternals.suspendIndexing(analysis);
        return true;
    }

    private void leaveQuery() {
        JShellInternals.resumeIndexing(analysis);
        lock.unlock();
    }

    /**
     * The value of the active variable {@code name} as a display shows it, for a debugger's rich
     * view; no bundle when the notebook has no such variable (or the shell stays busy).
     */
    Reply.Rendered renderVariable(String name) {
        Object value;
        if (!enterQuery()) {
            return new Reply.Rendered(null);
        }
        try {
            VarSnippet variable = shell.variables()
                    .filter(v -> v.name().equals(name) && shell.status(v).isActive())
                    .reduce((first, second) -> second).orElse(null);
            if (variable == null) {
                return new Reply.Rendered(null);
            }
            value = fieldOf(variable).get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Reply.Rendered(null);
        } finally {
            leaveQuery();
        }
        return new Reply.Rendered(Renderers.render(value));
    }

    /**
     * The active variables, each with its value's type and its value as text that no code of the
     * value's class produced (a debugger lists variables without running their {@code toString});
     * none while the shell stays busy.
     */
    Reply.Variables listVariables() {
        if (!enterQuery()) {
            return new Reply.Variables(List.of());
        }
        try {
            Map<String, Reply.VariableRow> rows = new TreeMap<>();
            shell.variables().filter(v -> shell.status(v).isActive()).forEach(v -> {
                try {
                    java.lang.reflect.Field field = fieldOf(v);
                    Object value = field.get(null);
                    String type = value == null || field.getType().isPrimitive() ? v.typeName() : value.getClass().getTypeName();
                    rows.put(v.name(), new Reply.VariableRow(v.name(), type, VariableText.of(value)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a variable whose snippet class is gone is not listed
                }
            });
            return new Reply.Variables(List.copyOf(rows.values()));
        } finally {
            leaveQuery();
        }
    }

    /** The static field of {@code variable}'s snippet class that holds its value, made readable. */
    private java.lang.reflect.Field fieldOf(VarSnippet variable) throws ReflectiveOperationException {
        Class<?> holder = loader.current(SnippetLoader.unversioned("REPL.$JShell$" + variable.id()));
        if (holder == null) {
            throw new ClassNotFoundException("REPL.$JShell$" + variable.id());
        }
        java.lang.reflect.Field field = holder.getDeclaredField(variable.name());
        field.setAccessible(true);
        return field;
    }

    /** Start (UTF-16 index) of the snippet of {@code code} that contains {@code cursor}. */
    private int snippetStart(String code, int cursor) {
        int start = 0;
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isEmpty()) {
                return start;
            }
            int next = start + rest.length() - info.remaining().length();
            if (next > cursor) {
                return start;
            }
            start = next;
            rest = info.remaining();
        }
    }

    /**
     * Completions with their kinds and signatures; offsets are UTF-16 indexes into {@code code}. The
     * first request lets JShell start indexing the class path, so package names complete from then on.
     */
    Reply.Completions complete(String code, int cursor) {
        if (indexingHeld.compareAndSet(true, false)) {
            JShellInternals.resumeIndexing(analysis);
        }
        List<Reply.Candidate> candidates = List.of();
        int anchorAt = cursor;
        if (enterQuery()) {
            try {
                int start = snippetStart(code, cursor);
                int[] anchor = new int[1];
                candidates = editor.complete(code.substring(start), cursor - start, anchor);
                anchorAt = start + anchor[0];
            } finally {
                leaveQuery();
            }
        }
        return new Reply.Completions(candidates, anchorAt);
    }

    /** Signatures and rendered javadoc of what is at {@code cursor}, and the source of what a cell declared. */
    Reply.Documentation inspect(String code, int cursor) {
        if (!enterQuery()) {
            return new Reply.Documentation("", "");
        }
        try {
            int start = snippetStart(code, cursor);
            return editor.inspect(code.substring(start), cursor - start);
        } finally {
            leaveQuery();
        }
    }

    /** complete, incomplete, invalid or unknown (when JShell is busy compiling). */
    Reply.Completeness isComplete(String code) {
        String status = "unknown";
        if (enterQuery()) {
            try {
                status = "complete";
                String rest = code;
                while (!rest.isBlank()) {
                    CompletionInfo info = analysis.analyzeCompletion(rest);
                    if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                        break;
                    }
                    switch (info.completeness()) {
                        case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> status = "incomplete";
                        case UNKNOWN -> status = "invalid";
                        default -> { }
                    }
                    if (!info.completeness().isComplete()) {
                        break;
                    }
                    rest = info.remaining();
                }
            } finally {
                leaveQuery();
            }
        }
        return new Reply.Completeness(status);
    }

    /**
     * Compiles and runs small throw-away snippets while no cell needs JShell, so that the JIT has
     * compiled the compiler's hot paths before the user's first cells. Stops as soon as {@code busy}
     * says a cell is waiting, and at the first question (completion, inspection): the user is there,
     * and either waits for at most one round. Each round drops what it declared,
     * so a cell never sees a snippet of the warm-up, however the two interleave.
     */
    void warmUp(int rounds, java.util.function.BooleanSupplier busy) {
        for (int i = 0; i < rounds && !busy.getAsBoolean() && !questioned; i++) {
            if (!lock.tryLock()) {
                return;
            }
            warming = true;
            try {
                if (cellActive) {
                    return; // a cell is inside its user code, which runs without the lock
                }
                analysis.analyzeCompletion("var $warm = " + i + " * 2;");
                List<SnippetEvent> declared = shell.eval("var $warm = " + i + " * 2;");
                analysis.analyzeCompletion("$warm + 1");
                shell.eval("$warm + 1").forEach(e -> shell.drop(e.snippet()));
                declared.forEach(e -> shell.drop(e.snippet()));
            } finally {
                warming = false;
                lock.unlock();
            }
        }
    }

    /**
     * Adds jars or directories to the class path of snippets (compiler and loader), except jars of
     * artifacts the helpers expose in a version of their own (see {@link CellClassPath}).
     */
    Reply.ClasspathAdded addToClasspath(List<String> entries) {
        CellClassPath.Admission admission = cellClassPath.admit(entries.stream().map(Path::of).toList());
        lock.lock();
        try {
            for (Path e : admission.added()) {
                shell.addToClasspath(e.toString());
                editor.sources().addJar(e);
            }
        } finally {
            lock.unlock();
        }
        return new Reply.ClasspathAdded(admission.added().stream().map(Path::toString).toList(), admission.notes());
    }

    @Override
    public void close() {
        shell.close();
    }
}
