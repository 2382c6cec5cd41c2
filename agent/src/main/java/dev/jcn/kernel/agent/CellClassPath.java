package dev.jcn.kernel.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What cells see of the user JVM's class path: everything on it but the agent. The kernel starts the
 * user JVM with the notebook API, the helpers and the helpers' runtime dependencies (plus the agent's
 * own jar), so none of the kernel's libraries is there at all.
 *
 * <pre>{@code
 * CellClassPath cells = CellClassPath.install();          // java.class.path without the agent
 * JShell shell = JShell.create();                         // compiles against java.class.path
 * CellClassPath.Admission a = cells.admit(List.of(Path.of("gson-2.8.9.jar")));   // what %maven adds
 * }</pre>
 *
 * <p>The helpers <em>expose</em> the notebook API and their direct compile-time dependencies (XChart,
 * Tablesaw, ...): their types are part of the helpers' public API, so cells and helpers must share one
 * copy. A jar added with {@code %maven} or {@code %classpath} that is another version of an exposed
 * artifact is therefore not added, and the cell is told which version it gets and why. Everything else
 * an added jar holds, the cells get in the version they asked for, even where the helpers' own
 * dependencies (such as slf4j-api under Tablesaw) hold another one: {@link SnippetLoader} loads those
 * classes from the added jar first. Artifacts are recognised by the {@code pom.properties} that Maven
 * puts into every jar it builds; the helpers' direct dependencies are read from the {@code pom.xml} in
 * the helpers jar. Both are read on the first addition, never at start.
 */
final class CellClassPath {

    /** Where the helpers jar keeps its pom, naming the artifacts the helpers expose. */
    private static final String HELPERS_POM = "META-INF/maven/dev.jcn/helpers/pom.xml";

    private final List<Path> entries;
    /** Group and artifact ids of the exposed artifacts; filled on first use. */
    private Set<String> exposed;
    /** The artifact (group:artifact) and version of each jar of the cell class path; filled on first use. */
    private Map<String, String> versions;
    private Set<Path> exposedJars;

    CellClassPath(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Makes {@code java.class.path} the cells' class path and returns it. JShell's compiler starts
     * from that property, and so do the child JVMs cells start with the helpers: neither should see
     * the agent. The JVM's own class loader, made at start, is not changed by it.
     */
    static CellClassPath install() {
        CellClassPath cells = ofThisJvm();
        System.setProperty("java.class.path", cells.compilerPath());
        return cells;
    }

    /** This JVM's class path without the jar or folder the agent was loaded from. */
    static CellClassPath ofThisJvm() {
        Path agent = codeSource(CellClassPath.class);
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank() && !Path.of(e).toAbsolutePath().normalize().equals(agent)) {
                entries.add(Path.of(e));
            }
        }
        return new CellClassPath(entries);
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("");
        }
    }

    /** The entries. */
    List<Path> entries() {
        return entries;
    }

    /** The entries as one class path string, for the compiler. */
    String compilerPath() {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    /** What {@link #admit} decided: the jars to add, and a line for each one left out or shadowing another. */
    record Admission(List<Path> added, List<String> notes) {}

    /** Which of {@code jars} cells get, and why the others are left out. */
    synchronized Admission admit(List<Path> jars) {
        learn();
        List<Path> added = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Path jar : jars) {
            Map<String, String> artifacts = artifacts(jar);
            String exposedArtifact = artifacts.keySet().stream().filter(exposed::contains).findFirst().orElse(null);
            if (exposedArtifact != null) {
                String have = versions.get(exposedArtifact);
                String want = artifacts.get(exposedArtifact);
                if (!want.equals(have)) {
                    notes.add(exposedArtifact + ":" + want + " is not used: cells get " + have
                            + ", the version the helpers are built with (their public API uses it)");
                }
                continue;
            }
            for (Map.Entry<String, String> a : artifacts.entrySet()) {
                String have = versions.get(a.getKey());
                if (have != null && !have.equals(a.getValue())) {
                    notes.add(a.getKey() + ":" + a.getValue() + " is used by the cells' code; the helpers keep "
                            + have + " for themselves");
                }
            }
            added.add(jar);
        }
        return new Admission(added, notes);
    }

    /**
     * Whether the class file at {@code resource} (found on this class path) comes from a jar of an
     * exposed artifact, which cells share with the helpers and never shadow.
     */
    synchronized boolean isExposed(URL resource) {
        learn();
        if (!"jar".equals(resource.getProtocol())) {
            return true; // a class folder: the helpers or the API in a development build
        }
        String spec = resource.getPath();
        int bang = spec.indexOf("!/");
        try {
            Path jar = Path.of(URI.create(bang < 0 ? spec : spec.substring(0, bang))).toAbsolutePath().normalize();
            return exposedJars.contains(jar);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void learn() {
        if (exposed != null) {
            return;
        }
        exposed = new HashSet<>(Set.of("dev.jcn:helpers", "dev.jcn:api"));
        exposed.addAll(directDependencies());
        versions = new HashMap<>();
        exposedJars = new HashSet<>();
        for (Path e : entries) {
            Map<String, String> artifacts = artifacts(e);
            versions.putAll(artifacts);
            if (artifacts.isEmpty() || artifacts.keySet().stream().anyMatch(exposed::contains)) {
                // a jar Maven did not build cannot be told apart from the helpers' own: it stays shared
                exposedJars.add(e.toAbsolutePath().normalize());
            }
        }
    }

    /** group:artifact of the helpers' direct dependencies that are part of their compile-time API. */
    private static Set<String> directDependencies() {
        Set<String> found = new HashSet<>();
        URL pom = ClassLoader.getSystemResource(HELPERS_POM);
        if (pom == null) {
            return found;
        }
        try (InputStream in = pom.openStream()) {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList dependencies = factory.newDocumentBuilder().parse(in).getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element d = (Element) dependencies.item(i);
                if (d.getParentNode() instanceof Element parent && parent.getTagName().equals("dependencies")
                        && parent.getParentNode() instanceof Element project && project.getTagName().equals("project")) {
                    String scope = child(d, "scope");
                    if ((scope.isEmpty() || scope.equals("compile")) && !child(d, "optional").equals("true")) {
                        found.add(child(d, "groupId") + ":" + child(d, "artifactId"));
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("the helpers' dependencies could not be read (" + e + "); every library on the class path stays shared");
        }
        return found;
    }

    private static String child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c.getTextContent().strip();
            }
        }
        return "";
    }

    /** group:artifact to version of the Maven artifacts whose {@code pom.properties} a jar holds. */
    private static Map<String, String> artifacts(Path jar) {
        Map<String, String> found = new HashMap<>();
        if (!Files.isRegularFile(jar)) {
            return found;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : zip.stream().filter(z -> z.getName().startsWith("META-INF/maven/")
                    && z.getName().endsWith("/pom.properties")).toList()) {
                Properties p = new Properties();
                try (InputStream in = zip.getInputStream(e)) {
                    p.load(in);
                }
                String group = p.getProperty("groupId");
                String artifact = p.getProperty("artifactId");
                String version = p.getProperty("version");
                if (group != null && artifact != null && version != null) {
                    found.put(group + ":" + artifact, version);
                }
            }
        } catch (IOException e) {
            // not a jar we can read: no artifact to tell
        }
        return found;
    }
}
