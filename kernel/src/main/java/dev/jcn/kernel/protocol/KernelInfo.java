package dev.jcn.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The content of {@code kernel_info_reply}: who this kernel is and which language it runs.
 *
 * <pre>{@code
 * JsonObject content = KernelInfo.content();
 * }</pre>
 */
public final class KernelInfo {

    /** The implementation name reported to frontends. */
    public static final String IMPLEMENTATION = "jcn-kernel";

    /** This kernel's version. */
    public static final String VERSION = "0.1.0";

    private KernelInfo() {}

    /** A fresh reply content. */
    public static JsonObject content() {
        JsonObject language = new JsonObject();
        language.addProperty("name", "java");
        language.addProperty("version", "25");
        language.addProperty("mimetype", "text/x-java-source");
        language.addProperty("file_extension", ".java");
        language.addProperty("codemirror_mode", "java");
        language.addProperty("pygments_lexer", "java");

        JsonArray links = new JsonArray();
        links.add(link("Java 25 API", "https://docs.oracle.com/en/java/javase/25/docs/api/index.html"));
        links.add(link("JShell guide", "https://docs.oracle.com/en/java/javase/25/jshell/introduction-jshell.html"));
        links.add(link("java.util.concurrent", "https://docs.oracle.com/en/java/javase/25/docs/api/java.base/java/util/concurrent/package-summary.html"));

        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        c.addProperty("protocol_version", MessageCodec.PROTOCOL_VERSION);
        c.addProperty("implementation", IMPLEMENTATION);
        c.addProperty("implementation_version", VERSION);
        c.add("language_info", language);
        c.addProperty("banner", "Java 25 (concurrency) kernel " + VERSION
                + " - JShell in its own JVM; %lsmagic lists the magics");
        c.add("help_links", links);
        c.addProperty("debugger", true);
        JsonArray features = new JsonArray();
        features.add("debugger");
        c.add("supported_features", features);
        return c;
    }

    private static JsonObject link(String text, String url) {
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        o.addProperty("url", url);
        return o;
    }
}
