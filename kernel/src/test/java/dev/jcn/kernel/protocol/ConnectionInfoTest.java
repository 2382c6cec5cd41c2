package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionInfoTest {

    private static final String FILE = """
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256",
             "kernel_name": "java-concurrency"}""";

    @Test
    void readsPortsKeyAndAddresses(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kernel.json"), FILE);

        ConnectionInfo info = ConnectionInfo.read(file);

        assertThat(info.shellPort()).isEqualTo(5001);
        assertThat(info.hbPort()).isEqualTo(5005);
        assertThat(info.key()).isEqualTo("abc");
        assertThat(info.address(info.iopubPort())).isEqualTo("tcp://127.0.0.1:5002");
    }

    @Test
    void badFilesGetOneLineReasons(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConnectionInfo.read(dir.resolve("missing.json"))).hasMessageStartingWith("cannot read connection file");
        assertThatThrownBy(() -> ConnectionInfo.parse("not json {")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ConnectionInfo.parse("{\"shell_port\": 1}")).hasMessageContaining("iopub_port");
        assertThatThrownBy(() -> ConnectionInfo.parse(FILE.replace("hmac-sha256", "hmac-md5"))).hasMessageContaining("signature_scheme");
    }

    @Test
    void aConnectionOnFreeLoopbackPortsIsWrittenAsAFileThatReadsBackTheSame() throws Exception {
        ConnectionInfo info = ConnectionInfo.onFreeLoopbackPorts("k");

        assertThat(ConnectionInfo.parse(info.toJson())).isEqualTo(info);
        assertThat(info.ip()).isEqualTo("127.0.0.1");
        assertThat(java.util.Set.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort()))
                .hasSize(5).allSatisfy(port -> assertThat(port).isPositive());
    }
}
