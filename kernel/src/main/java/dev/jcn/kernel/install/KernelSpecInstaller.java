package dev.jcn.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the kernelspec {@code share/jupyter/kernels/java-concurrency/kernel.json} (and logos), with
 * the absolute path of the running java binary, the JVM options the kernel needs and the kernel's
 * class path.
 *
 * <pre>{@code
 * java -cp kernel/target/kernel.jar:kernel/target/lib/* dev.jcn.kernel.Main install --prefix "$CONDA_PREFIX"
 * }</pre>
 */
public final class KernelSpecInstaller {

    /** The kernelspec name used unless {@code --name} says otherwise. */
    public static final String DEFAULT_NAME = "java-concurrency";

    /** The name frontends show in their kernel lists. */
    public static final String DISPLAY_NAME = "Java 25 (concurrency)";

    /** JVM options of the kernel process: preview features, headless AWT, quiet Unsafe, quick start. */
    public static final List<String> JVM_OPTIONS = List.of(
            "--enable-preview",
            "-Djava.awt.headless=true",
            "--sun-misc-unsafe-memory-access=allow",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-Xshare:auto");

    private static final String USAGE =
            "usage: Main install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--no-startup-cache]";

    /** Skips preparing the user JVM's start-up cache (the first kernel then makes it in the background). */
    public static final String NO_STARTUP_CACHE = "--no-startup-cache";

    /** The longest an install waits for the start-up cache; about 20 s on a busy 2-core machine. */
    static final java.time.Duration STARTUP_CACHE = java.time.Duration.ofSeconds(60);

    private final Map<String, String> env;

    KernelSpecInstaller(Map<String, String> env) {
        this.env = env;
    }

    /** Runs {@code install} with command-line arguments; returns the exit code and prints one line. */
    public static int run(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean cache = !rest.remove(NO_STARTUP_CACHE);
        try {
            Path dir = new KernelSpecInstaller(System.getenv()).install(rest.toArray(String[]::new), javaBinary(), kernelClassPath());
            System.out.println("Installed kernelspec " + dir.getFileName() + " in " + dir);
            if (cache) {
                prepareStartupCache();
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("install: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        } catch (UncheckedIOException e) {
            System.err.println("install: cannot write the kernelspec: " + e.getCause().getMessage());
            return 1;
        }
    }

    /**
     * Makes the user JVM's start-up cache now (bounded), so that even the first kernel starts fast;
     * the kernelspec is installed either way.
     */
    private static void prepareStartupCache() {
        long start = System.nanoTime();
        try {
            boolean ready = dev.jcn.kernel.execution.UserJvmInterpreter.prepareStartupCache(STARTUP_CACHE);
            System.out.printf("%s (%.1f s)%n", ready ? "Prepared the user JVM's start-up cache"
                    : "No start-up cache prepared (class path of directories, caching off, or too slow); kernels make it themselves",
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            System.out.println("No start-up cache prepared: " + e.getMessage());
        }
    }

    /** Parses the arguments and writes the kernelspec; returns its directory. */
    Path install(String[] args, Path java, String classPath) {
        Path dataDir = null;
        String name = DEFAULT_NAME;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> dataDir = chosen(dataDir, userDataDir());
                case "--sys-prefix" -> dataDir = chosen(dataDir, sysPrefix().resolve("share").resolve("jupyter"));
                case "--prefix" -> dataDir = chosen(dataDir, Path.of(value(args, ++i, "--prefix")).toAbsolutePath()
                        .resolve("share").resolve("jupyter"));
                case "--name" -> name = value(args, ++i, "--name");
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kernel name may use letters, digits, '.', '_' and '-' only: " + name);
        }
        Path dir = (dataDir == null ? userDataDir() : dataDir).resolve("kernels").resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kernel.json"), kernelJson(java, classPath) + "\n", StandardCharsets.UTF_8);
            Logo.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The kernel.json text. */
    static String kernelJson(Path java, String classPath) {
        JsonArray argv = new JsonArray();
        argv.add(java.toString());
        JVM_OPTIONS.forEach(argv::add);
        argv.add("-cp");
        argv.add(classPath);
        argv.add("dev.jcn.kernel.Main");
        argv.add("{connection_file}");
        JsonObject spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", DISPLAY_NAME);
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        spec.add("env", new JsonObject());
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", true);
        spec.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec);
    }

    private static Path chosen(Path already, Path dir) {
        if (already != null) {
            throw new IllegalArgumentException("choose one of --user, --sys-prefix, --prefix");
        }
        return dir;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private Path userDataDir() {
        String jupyter = env.get("JUPYTER_DATA_DIR");
        if (jupyter != null && !jupyter.isBlank()) {
            return Path.of(jupyter);
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jupyter");
    }

    private Path sysPrefix() {
        for (String var : List.of("CONDA_PREFIX", "VIRTUAL_ENV")) {
            String value = env.get(var);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        throw new IllegalArgumentException("--sys-prefix needs an active conda env or virtualenv (CONDA_PREFIX/VIRTUAL_ENV unset); use --prefix DIR");
    }

    /** The java binary of this JVM, so the kernel runs on the same JDK that installed it. */
    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath();
    }

    /**
     * The kernel's class path: its jar (or class folder) and the {@code lib/*} folder beside it,
     * where the build copies the dependencies.
     */
    static String kernelClassPath() {
        Path code;
        try {
            code = Path.of(KernelSpecInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kernel's jar", e);
        }
        List<String> entries = new ArrayList<>();
        entries.add(code.toString());
        Path lib = code.getParent().resolve("lib");
        if (Files.isDirectory(lib)) {
            entries.add(lib + "/*");
        } else {
            entries.add(System.getProperty("java.class.path"));
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
