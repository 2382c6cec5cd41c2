package dev.jcn.kernel.magic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicParserTest {

    @Test
    void plainCodeHasNoMagics() throws Exception {
        assertThat(MagicParser.parse("int x = 5 % 3;\n% 2")).isEqualTo(new ParsedCell.Lines(List.of(), "int x = 5 % 3;\n% 2"));
    }

    @Test
    void lineMagicsAtTheTopAreTakenAndTheirLinesLeftEmpty() throws Exception {
        ParsedCell cell = MagicParser.parse("%classpath lib/*.jar\n\n  %maven  a:b:1  \nvar x = 1;\nx % 2");

        assertThat(cell).isEqualTo(new ParsedCell.Lines(
                List.of(new ParsedCell.Call("classpath", "lib/*.jar"), new ParsedCell.Call("maven", "a:b:1")),
                "\n\n\nvar x = 1;\nx % 2"));
    }

    @Test
    void magicWithoutArgumentsAndCrLfLines() throws Exception {
        assertThat(MagicParser.parse("%lsmagic\r\n")).isEqualTo(
                new ParsedCell.Lines(List.of(new ParsedCell.Call("lsmagic", "")), "\n"));
    }

    @Test
    void cellMagicOwnsTheBody() throws Exception {
        assertThat(MagicParser.parse("\n%%time\nlong n = 0;\nn")).isEqualTo(
                new ParsedCell.Whole("time", "", "\n\nlong n = 0;\nn"));
    }

    @Test
    void badMagicLinesAreOneLineErrors() {
        assertThatThrownBy(() -> MagicParser.parse("%\nx")).isInstanceOf(MagicException.class).hasMessageContaining("expected %name");
        assertThatThrownBy(() -> MagicParser.parse("%1abc")).isInstanceOf(MagicException.class);
        assertThatThrownBy(() -> MagicParser.parse("%lsmagic\n%%time\nx")).hasMessageContaining("must be the first line");
    }

    @Test
    void onlyMagicLinesRecognisesAMagicHeader() {
        assertThat(MagicParser.onlyMagicLines("%time\n\n%load a.jsh\n")).isTrue();
        assertThat(MagicParser.onlyMagicLines("int x;\n")).isFalse();
    }
}
