package dev.jcn.kernel.agent.editing;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Classes named the way JShell's analysis writes types ({@code ExecutorService},
 * {@code Thread.Builder.OfVirtual}, {@code List<Integer>}, {@code java.util.Map.Entry<K, V>}),
 * found through the session's imports without initializing them, and declarations written back the
 * way a reader writes them ({@code <T> Future<T> submit(Callable<T> task)}).
 *
 * <pre>{@code
 * TypeNames names = new TypeNames(loader, () -> List.of("java.util.concurrent.*"));
 * Class<?> c = names.resolve("ExecutorService");          // java.util.concurrent.ExecutorService
 * String s = TypeNames.signature(method, List.of("task")); // "<T> Future<T> submit(Callable<T> task)"
 * }</pre>
 */
public final class TypeNames {

    private static final Pattern PACKAGE_PREFIX = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+(?=[A-Za-z_$])");
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class,
            "double", double.class, "float", float.class, "boolean", boolean.class, "char", char.class,
            "byte", byte.class, "short", short.class, "void", void.class);

    private final ClassLoader loader;
    private final Supplier<List<String>> imports;
    private final Map<String, Class<?>> found = new ConcurrentHashMap<>();

    /**
     * @param imports the session's non-static imports as written after {@code import}
     *     ({@code java.util.*}, {@code java.util.List}); {@code java.lang} is always searched
     */
    public TypeNames(ClassLoader loader, Supplier<List<String>> imports) {
        this.loader = loader;
        this.imports = imports;
    }

    /** The class that {@code written} names, or null; type arguments are ignored, arrays kept. */
    public Class<?> resolve(String written) {
        if (written == null) {
            return null;
        }
        String name = withoutTypeArguments(written).strip();
        int dims = 0;
        while (name.endsWith("[]")) {
            dims++;
            name = name.substring(0, name.length() - 2).strip();
        }
        if (name.isEmpty() || name.contains(" ")) {
            return null; // a capture or intersection type
        }
        Class<?> c = PRIMITIVES.containsKey(name) ? PRIMITIVES.get(name) : resolveClass(name);
        for (int i = 0; c != null && i < dims; i++) {
            c = c.arrayType();
        }
        return c;
    }

    private Class<?> resolveClass(String name) {
        List<String> known = imports.get();
        String key = name + "|" + known.size();
        Class<?> cached = found.get(key);
        if (cached != null) {
            return cached;
        }
        String[] parts = name.split("\\.");
        Class<?> c = null;
        // a qualified name: the longest prefix that is a class, then its nested classes
        for (int i = parts.length; i >= 1 && c == null; i--) {
            Class<?> outer = load(String.join(".", List.of(parts).subList(0, i)));
            if (outer == null && i == 1) {
                outer = bySimpleName(parts[0], known);
            }
            c = outer == null ? null : nested(outer, parts, i);
        }
        if (c != null) {
            found.put(key, c);
        }
        return c;
    }

    private Class<?> bySimpleName(String simple, List<String> known) {
        for (String i : known) {
            if (i.endsWith("." + simple)) {
                Class<?> c = load(i);
                if (c != null) {
                    return c;
                }
            }
        }
        Class<?> lang = load("java.lang." + simple);
        if (lang != null) {
            return lang;
        }
        for (String i : known) {
            if (i.endsWith(".*")) {
                Class<?> c = load(i.substring(0, i.length() - 1) + simple);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private Class<?> nested(Class<?> outer, String[] parts, int from) {
        Class<?> c = outer;
        for (int i = from; i < parts.length && c != null; i++) {
            c = load(c.getName() + "$" + parts[i]);
        }
        return c;
    }

    /** The class of that binary name, not initialized, or null. */
    public Class<?> load(String binaryName) {
        try {
            return Class.forName(binaryName, false, loader);
        } catch (ClassNotFoundException | LinkageError | IllegalArgumentException e) {
            return null;
        }
    }

    static String withoutTypeArguments(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A type as a reader writes it: simple names, nested classes with dots. */
    public static String simple(Type t) {
        String name = t instanceof Class<?> c ? c.getTypeName() : t.getTypeName();
        return PACKAGE_PREFIX.matcher(name).replaceAll("").replace('$', '.');
    }

    /** {@code name(T1 p1, T2 p2)}; without names when {@code names} is null. */
    public static String call(Executable e, List<String> names) {
        String name = e instanceof java.lang.reflect.Constructor<?> ? e.getDeclaringClass().getSimpleName() : e.getName();
        Type[] types = e.getGenericParameterTypes();
        if (types.length != e.getParameterCount()) {
            types = e.getParameterTypes(); // inner-class constructors and enums list their hidden parameters only here
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String type = simple(types[i]);
            if (e.isVarArgs() && i == types.length - 1 && type.endsWith("[]")) {
                type = type.substring(0, type.length() - 2) + "...";
            }
            params.add(names != null && names.size() == types.length ? type + " " + names.get(i) : type);
        }
        return name + "(" + String.join(", ", params) + ")";
    }

    /** The declaration of {@code e}: type parameters, return type and {@link #call}. */
    public static String signature(Executable e, List<String> names) {
        StringBuilder b = new StringBuilder();
        TypeVariable<?>[] vars = e.getTypeParameters();
        if (vars.length > 0) {
            b.append('<').append(java.util.Arrays.stream(vars).map(TypeNames::variable).collect(Collectors.joining(", "))).append("> ");
        }
        if (e instanceof Method m) {
            b.append(simple(m.getGenericReturnType())).append(' ');
        }
        return b.append(call(e, names)).toString();
    }

    private static String variable(TypeVariable<?> v) {
        Type[] bounds = v.getBounds();
        if (bounds.length == 0 || (bounds.length == 1 && bounds[0] == Object.class)) {
            return v.getName();
        }
        return v.getName() + " extends " + java.util.Arrays.stream(bounds).map(TypeNames::simple).collect(Collectors.joining(" & "));
    }

    /** {@code class}, {@code interface}, {@code enum}, {@code record} or {@code @interface}, as declared. */
    public static String declarationKind(Class<?> c) {
        if (c.isAnnotation()) {
            return "@interface";
        }
        if (c.isInterface()) {
            return "interface";
        }
        if (c.isEnum()) {
            return "enum";
        }
        return c.isRecord() ? "record" : "class";
    }
}
