package dev.jcn.kernel.install;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws the kernel's logo (a cup with three threads of steam) as {@code logo-32x32.png} and
 * {@code logo-64x64.png}, the files JupyterLab's launcher looks for in a kernelspec.
 *
 * <pre>{@code
 * Logo.write(kernelspecDir);
 * }</pre>
 */
final class Logo {

    private Logo() {}

    static void write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (int size : new int[] {32, 64}) {
            ImageIO.write(draw(size), "png", dir.resolve("logo-" + size + "x" + size + ".png").toFile());
        }
    }

    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.scale(size / 64.0, size / 64.0);
            g.setColor(new Color(0xE7, 0x6F, 0x00));
            g.fill(new RoundRectangle2D.Double(12, 28, 32, 28, 8, 8));
            g.setStroke(new BasicStroke(4));
            g.draw(new Arc2D.Double(38, 32, 16, 16, -90, 180, Arc2D.OPEN));
            g.setColor(new Color(0x53, 0x82, 0xA1));
            g.setStroke(new BasicStroke(3, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int x : new int[] {18, 28, 38}) {
                g.draw(new Arc2D.Double(x - 4, 6, 8, 10, 90, 180, Arc2D.OPEN));
                g.draw(new Arc2D.Double(x - 4, 14, 8, 10, 90, -180, Arc2D.OPEN));
            }
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString("25", 19, 48);
        } finally {
            g.dispose();
        }
        return image;
    }
}
