package dev.jcn.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.jcn.helpers.process.AotCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

    /** The kernel's start-up cache as kernel.json names it, beside the kernel's jar. */
    static final String KERNEL_CACHE = "kernel.aot";

    /** The JDK's default class data, which a start-up cache of the kernel's own replaces (the JVM takes one or the other). */
    private static final String DEFAULT_SHARING = "-Xshare:auto";

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

    /**
     * Runs {@code install} with command-line arguments; returns the exit code and prints a line for the
     * kernelspec and one for each start-up cache.
     */
    public static int run(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean cache = !rest.remove(NO_STARTUP_CACHE);
        String classPath = kernelClassPath();
        List<String> notes = new ArrayList<>();
        List<String> kernelCache = List.of();
        try {
            if (cache) {
                notes.add(prepareStartupCache());
                AotCache kernel = kernelCache(classPath);
                notes.add(prepare("the kernel's start-up cache", () -> kernel.prepare(STARTUP_CACHE)));
                kernelCache = besideTheJars(kernel, classPath);
            }
            Path dir = new KernelSpecInstaller(System.getenv()).install(rest.toArray(String[]::new), javaBinary(), classPath, kernelCache);
            System.out.println("Installed kernelspec " + dir.getFileName() + " in " + dir);
            notes.forEach(System.out::println);
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
    private static String prepareStartupCache() {
        return prepare("the user JVM's start-up cache",
                () -> dev.jcn.kernel.execution.UserJvmInterpreter.prepareStartupCache(STARTUP_CACHE));
    }

    /** Makes a start-up cache; returns the line that says whether it is ready and how long that took. */
    private static String prepare(String what, java.util.function.BooleanSupplier make) {
        long start = System.nanoTime();
        try {
            boolean ready = make.getAsBoolean();
            return String.format("%s (%.1f s)", ready ? "Prepared " + what
                    : "Did not prepare " + what + " (class path of directories, caching off, or too slow)",
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            return "Did not prepare " + what + ": " + e.getMessage();
        }
    }

    /**
     * The start-up cache of the kernel's own JVM on {@code classPath}, trained by one short session
     * ({@link KernelTraining}) with the kernel's JVM options (class data sharing comes from the cache).
     */
    static AotCache kernelCache(String classPath) {
        List<String> options = JVM_OPTIONS.stream().filter(o -> !o.equals(DEFAULT_SHARING)).toList();
        return AotCache.of("kernel", classPath, options, List.of(KernelTraining.class.getName()));
    }

    /**
     * The options that start the kernel with a copy of {@code cache} beside its jars ({@code kernel.aot} in the
     * kernel jar's folder), or none: JDK 25 maps a cache even after the jars it was made from changed, and runs
     * their old classes, so kernel.json names a file that the build removes whenever it makes the jars again.
     */
    private static List<String> besideTheJars(AotCache cache, String classPath) {
        Path kernelJar = Path.of(classPath.split(java.io.File.pathSeparator)[0]);
        if (!cache.isReady() || !kernelJar.toString().endsWith(".jar")) {
            return List.of();
        }
        Path copy = kernelJar.resolveSibling(KERNEL_CACHE);
        Path temp = kernelJar.resolveSibling(KERNEL_CACHE + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            // A kernel running from the copy keeps mapping its own file: the new one replaces the name only.
            Files.copy(cache.file(), temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // only a leftover in the build folder
            }
            return List.of();
        }
        return cache.jvmOptions().stream().map(o -> o.equals("-XX:AOTCache=" + cache.file()) ? "-XX:AOTCache=" + copy : o).toList();
    }

    /** Parses the arguments and writes the kernelspec without a start-up cache for the kernel; returns its directory. */
    Path install(String[] args, Path java, String classPath) {
        return install(args, java, classPath, List.of());
    }

    /**
     * Parses the arguments and writes the kernelspec, whose kernel starts with {@code cacheOptions} (those of
     * a ready start-up cache, {@link AotCache#jvmOptions()}) instead of the JDK's default class data, if any;
     * returns its directory.
     */
    Path install(String[] args, Path java, String classPath, List<String> cacheOptions) {
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
            Files.writeString(dir.resolve("kernel.json"), kernelJson(java, classPath, cacheOptions) + "\n", StandardCharsets.UTF_8);
            Logo.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * The kernel.json text. A JVM given a cache it cannot map (gone, or made for other jars) runs without any
     * class data, the JDK's default too, so a cache is named only when the installer has just made or found it.
     */
    static String kernelJson(Path java, String classPath, List<String> cacheOptions) {
        JsonArray argv = new JsonArray();
        argv.add(java.toString());
        for (String option : JVM_OPTIONS) {
            if (option.equals(DEFAULT_SHARING) && !cacheOptions.isEmpty()) {
                cacheOptions.forEach(argv::add);
            } else {
                argv.add(option);
            }
        }
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
     * The kernel's class path: its jar (or class folder) and the jars of the {@code lib} folder beside it,
     * where the build copies the dependencies, each named (in name order), as a start-up cache needs them.
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
            try (Stream<Path> jars = Files.list(lib)) {
                jars.map(Path::toString).filter(j -> j.endsWith(".jar")).sorted().forEach(entries::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            entries.add(System.getProperty("java.class.path"));
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
