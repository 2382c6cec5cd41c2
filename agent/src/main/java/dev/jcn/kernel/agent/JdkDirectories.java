package dev.jcn.kernel.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ahead the run-time image's directories of the JDK packages that the default imports name, on a
 * thread of its own while JShell is being built, so that javac finds them read.
 *
 * <p>javac's first compilation in a JVM lists every package a snippet imports on demand; for the JDK's
 * packages that means the run-time image's directory and an attribute look-up for each of its entries, whose
 * nodes the image reader builds once per JVM and then keeps for every reader of the image (javac's too). On
 * two cores that listing ran on the thread that compiles the imports, which every first cell waits for;
 * here it runs beside it.
 *
 * <pre>{@code
 * Thread.ofPlatform().start(() -> JdkDirectories.readAhead(ShellSession.STANDARD_IMPORTS));
 * }</pre>
 */
final class JdkDirectories {

    private JdkDirectories() {}

    /**
     * Lists the image directory of {@code java.lang} and of each JDK package among {@code imports} (each like
     * {@code java.util.*}), as javac will; returns how many directories it read.
     */
    static int readAhead(List<String> imports) {
        List<String> packages = new ArrayList<>(List.of("java.lang"));
        for (String i : imports) {
            if (!i.startsWith("static ") && i.endsWith(".*")) {
                packages.add(i.substring(0, i.length() - 2));
            }
        }
        Map<String, String> moduleOf = new HashMap<>();
        for (Module m : ModuleLayer.boot().modules()) {
            for (String pkg : m.getDescriptor().packages()) {
                if (packages.contains(pkg)) {
                    moduleOf.put(pkg, m.getName());
                }
            }
        }
        FileSystem image = FileSystems.getFileSystem(URI.create("jrt:/"));
        int read = 0;
        for (String pkg : packages) {
            String module = moduleOf.get(pkg);
            if (module == null) {
                continue; // not the JDK's
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(image.getPath("/modules", module, pkg.replace('.', '/')))) {
                for (Path entry : entries) {
                    Files.isDirectory(entry); // what javac asks of each entry: this builds its node
                }
                read++;
            } catch (IOException e) {
                // javac lists it for itself
            }
        }
        return read;
    }
}
