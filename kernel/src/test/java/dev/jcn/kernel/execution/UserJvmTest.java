package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcn.kernel.execution.UserJvm.AgentException;
import dev.jcn.kernel.wire.Reply;
import dev.jcn.kernel.wire.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wire from the kernel's side, with a real user JVM: a request whose handler fails in the agent is
 * answered with the agent's error, not left to the kernel's timeout, and the user JVM serves on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserJvmTest {

    /** Far longer than any answer takes: a request that runs into it was never answered. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aQueryWhoseHandlerFailsGetsTheAgentsErrorAndTheJvmServesOn() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (UserJvm jvm = UserJvm.launch(events, () -> 0, List.of(), false)) {
            jvm.ready().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // no file system has a path with a NUL character in it: the agent's handler throws
            assertThatThrownBy(() -> jvm.ask(new Request.AddClasspath(List.of("bad\0path.jar")), Reply.ClasspathAdded.class, PATIENCE))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("InvalidPathException")
                    .hasMessageNotContaining("did not answer");
            assertThat(jvm.ask(new Request.ListThreads(), Reply.Threads.class, PATIENCE).rows()).isEmpty();
            // the agent's trace went to the kernel log: nothing of it reached a cell's streams
            assertThat(events.streams()).noneMatch(s -> s.text().contains("InvalidPathException"));
        }
    }
}
