package dev.jcn.notebook;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer for this image type");
        }
        String plain = "[image " + img.getWidth() + "x" + img.getHeight() + "]";
        if (request.svg()) {
            String png = Base64.getEncoder().encodeToString(out.toByteArray());
            String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + img.getWidth() + "\" height=\""
                    + img.getHeight() + "\"><image width=\"" + img.getWidth() + "\" height=\"" + img.getHeight()
                    + "\" href=\"data:image/png;base64," + png + "\"/></svg>";
            return MimeBundle.of("image/svg+xml", svg).with("text/plain", plain);
        }
        return MimeBundle.png(out.toByteArray(), img.getWidth(), img.getHeight()).with("text/plain", plain);
    }
}
