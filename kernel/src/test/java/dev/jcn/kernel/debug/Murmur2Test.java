package dev.jcn.kernel.debug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The cell file names JupyterLab 4.6 computed for ipykernel (seed 3339675911), recorded from the
 * browser: codes whose UTF-8 length leaves each remainder modulo 4, and text beyond ASCII.
 */
class Murmur2Test {

    private static final long SEED = 3339675911L;

    @Test
    void hashesCellsAsJupyterLabNamesTheirFiles() {
        assertThat(Murmur2.hash("def square(x):\n    y = x * x\n    return y", SEED)).isEqualTo(1164890578L);
        assertThat(Murmur2.hash("text = 'hello'\nresult = total(3)\nprint(result)", SEED)).isEqualTo(1164843598L);
        assertThat(Murmur2.hash("def risky():\n    try:\n        1 / 0\n    except ZeroDivisionError:\n"
                + "        return 'caught'\nprint(risky())", SEED)).isEqualTo(1786176726L);
        assertThat(Murmur2.hash("import time\nfor step in range(30):\n    time.sleep(0.2)\nprint('loop done', step)", SEED))
                .isEqualTo(1037658419L);
    }

    @Test
    void hashesTheUtf8BytesOfTextBeyondAscii() {
        assertThat(Murmur2.hash("é", SEED)).isEqualTo(2171970256L);
        assertThat(Murmur2.hash("스레드 = \"잠금\";", SEED)).isEqualTo(1370059106L);
    }
}
