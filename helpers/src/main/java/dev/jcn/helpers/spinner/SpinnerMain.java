package dev.jcn.helpers.spinner;

import dev.jcn.helpers.process.ChildMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM side of {@link ProcessSpinner} and {@link SharedMemorySpinner}: draws frames on its standard
 * output until told to stop.
 *
 * <pre>{@code
 * java ... dev.jcn.helpers.spinner.SpinnerMain pipe thinking%21          # stops at a line or end of input
 * java ... dev.jcn.helpers.spinner.SpinnerMain shm thinking%21 /tmp/flag # stops when the mapped flag is set
 * }</pre>
 */
public final class SpinnerMain {

    private SpinnerMain() {
    }

    /** A message as this program expects it on its command line. */
    static String encode(String message) {
        return URLEncoder.encode(message, StandardCharsets.UTF_8);
    }

    /** Arguments: {@code pipe MESSAGE} or {@code shm MESSAGE FILE}, the message URL-encoded in UTF-8. */
    public static void main(String[] args) throws IOException {
        ChildMain.watchParent();
        if (args.length < 2 || !(args[0].equals("pipe") || args[0].equals("shm") && args.length == 3)) {
            System.err.println("usage: SpinnerMain pipe MESSAGE | SpinnerMain shm MESSAGE FILE");
            System.exit(2);
        }
        // The message comes URL-encoded: command-line arguments are decoded by the locale, which may not be UTF-8.
        SpinnerLine line = new SpinnerLine(URLDecoder.decode(args[1], StandardCharsets.UTF_8), () -> System.out);
        if (args[0].equals("pipe")) {
            Flag done = new Flag();
            Thread.ofPlatform().daemon(true).start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    in.readLine();
                } catch (IOException ignored) {
                    // A broken pipe means the parent is gone: stop as for a stop line.
                }
                done.set();
            });
            line.spin(() -> done.await(Spinner.INTERVAL));
        } else {
            try (SharedFlag flag = SharedFlag.open(Path.of(args[2]))) {
                line.spin(() -> {
                    flag.increment();
                    return flag.await(Spinner.INTERVAL);
                });
            }
        }
        System.out.flush();
    }
}
