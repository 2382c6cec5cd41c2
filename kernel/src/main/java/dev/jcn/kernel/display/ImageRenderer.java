package dev.jcn.kernel.display;

import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.MimeBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * {@link BufferedImage} as {@code image/png}, or as an SVG that embeds the PNG when SVG is asked for.
 *
 * <pre>{@code
 * BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
 * display(img);
 * }</pre>
 */
final class ImageRenderer implements Renderer {

    @Override
    public boolean accepts(Object value) {
        return value instanceof BufferedImage;
    }

    @Override
    public MimeBundle render(Object value, RenderRequest request) throws IOException {
        BufferedImage img = (BufferedImage) value;
        String png = Base64.getEncoder().encodeToString(pngBytes(img));
        String plain = "[image " + img.getWidth() + "x" + img.getHeight() + "]";
        if (request.svg()) {
            String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + img.getWidth() + "\" height=\""
                    + img.getHeight() + "\"><image width=\"" + img.getWidth() + "\" height=\"" + img.getHeight()
                    + "\" href=\"data:image/png;base64," + png + "\"/></svg>";
            return Renderers.bundle("image/svg+xml", svg, plain);
        }
        return png(png, img.getWidth(), img.getHeight(), plain);
    }

    static byte[] pngBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer for this image type");
        }
        return out.toByteArray();
    }

    /** A PNG bundle with the image size in its metadata, as JupyterLab uses it. */
    static MimeBundle png(String base64, int width, int height, String plain) {
        MimeBundle b = Renderers.bundle("image/png", base64, plain);
        JsonObject size = new JsonObject();
        size.addProperty("width", width);
        size.addProperty("height", height);
        b.metadata().add("image/png", size);
        return b;
    }
}
