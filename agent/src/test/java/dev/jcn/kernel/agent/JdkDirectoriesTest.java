package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdkDirectoriesTest {

    @Test
    void readsJavaLangAndEveryImportedJdkPackageOnce() {
        // java.lang, then the ten JDK packages the kernel imports
        assertThat(JdkDirectories.readAhead(ShellSession.STANDARD_IMPORTS)).isEqualTo(1 + ShellSession.STANDARD_IMPORTS.size());
    }

    @Test
    void skipsPackagesOutsideTheJdkAndStaticImports() {
        assertThat(JdkDirectories.readAhead(List.of("dev.jcn.helpers.pool.*", "static dev.jcn.notebook.Display.*", "java.sql.*")))
                .isEqualTo(2); // java.lang and java.sql (module java.sql)
    }
}
