package dev.jcn.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderersTest {

    private static Object data(MimeBundle b, String mime) {
        return b.data().get(mime);
    }

    @Test
    void plainTextOfValues() {
        assertThat(Renderers.render(42).text()).isEqualTo("42");
        assertThat(Renderers.render(null).text()).isEqualTo("null");
        assertThat(Renderers.render(new int[] {1, 2}).text()).isEqualTo("[1, 2]");
        assertThat(Renderers.render(new String[][] {{"a"}, {"b"}}).text()).isEqualTo("[[a], [b]]");
    }

    @Test
    void htmlMarkdownAndSvgTextKeepTheirType() {
        assertThat(data(Renderers.render(Display.html("<b>x</b>")), "text/html")).isEqualTo("<b>x</b>");
        assertThat(data(Renderers.render(Display.markdown("*x*")), "text/markdown")).isEqualTo("*x*");
        assertThat(data(Renderers.render(Display.svg("<svg/>")), "image/svg+xml")).isEqualTo("<svg/>");
    }

    @Test
    void imagesArePngWithTheirSizeOrSvgOnRequest() {
        BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        MimeBundle b = Renderers.render(image);
        assertThat((String) data(b, "image/png")).startsWith("iVBORw0KGgo");
        assertThat(b.metadata().get("image/png")).isEqualTo(Map.of("width", 30, "height", 20));
        assertThat(b.text()).isEqualTo("[image 30x20]");
        assertThat((String) data(Renderers.render(Display.svg(image)), "image/svg+xml"))
                .startsWith("<svg").contains("data:image/png;base64,iVBORw0KGgo");
    }

    @Test
    void aServiceLoadedRendererThatFailsFallsBackToTextNamingIt() {
        MimeBundle b = Renderers.render(new FailingRenderer.Broken("the moon"));
        assertThat(b.data()).containsOnlyKeys("text/plain");
        assertThat(b.text()).contains("Broken[name=the moon]").contains("FailingRenderer failed")
                .contains("cannot draw the moon");
    }

    @Test
    void aBundleIsPassedThroughAndGetsPlainTextWhenItHasNone() {
        MimeBundle given = MimeBundle.of("application/json", Map.of("n", 1, "items", List.of("a", "b")));
        MimeBundle shown = Renderers.render(given);
        assertThat(shown.data()).containsEntry("application/json", Map.of("n", 1, "items", List.of("a", "b")));
        assertThat(shown.data()).containsKey("text/plain");
    }

    @Test
    void bundlesHoldOnlyJsonValuesAndKeepTheirOrder() {
        MimeBundle b = MimeBundle.of("text/html", "<b>1</b>").with("text/plain", "1").withMetadata("text/html", Map.of("isolated", true));
        assertThat(b.data().keySet()).containsExactly("text/html", "text/plain");
        assertThat(b.metadata()).containsEntry("text/html", Map.of("isolated", true));
        assertThatThrownBy(() -> MimeBundle.of("application/json", Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data[application/json].when is a java.lang.Object");
        assertThatThrownBy(() -> MimeBundle.of(" ", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.data().put("text/markdown", "x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
