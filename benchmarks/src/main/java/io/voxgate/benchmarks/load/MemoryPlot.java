package io.voxgate.benchmarks.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;

/**
 * Draws the memory time series of a run as a PNG: heap after the last collection, heap in use, direct memory and RSS
 * (MiB) against seconds, each series where it is known, so a soak's flatness can be seen at a glance.
 *
 * <p>Stateless; safe on any thread. Headless: needs no display.
 */
final class MemoryPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int MARGIN = 70;
    private static final double MIB = 1_048_576.0;

    private record Series(String name, Color color, ToLongFunction<SoakSample> value) {
    }

    private static final List<Series> SERIES = List.of(
        new Series("heap after GC", new Color(0, 90, 180), SoakSample::heapAfterGcBytes),
        new Series("heap in use", new Color(150, 180, 220), SoakSample::heapUsedBytes),
        new Series("direct", new Color(200, 80, 0), SoakSample::directUsedBytes),
        new Series("RSS", new Color(0, 140, 60), SoakSample::rssBytes));

    private MemoryPlot() {
    }

    /** Writes the plot of {@code samples} (time order, at least one) titled {@code title} to {@code png}. */
    static void write(final Path png, final List<SoakSample> samples, final String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            final int plotW = WIDTH - 2 * MARGIN;
            final int plotH = HEIGHT - 2 * MARGIN;
            final double maxSeconds = Math.max(1, samples.get(samples.size() - 1).seconds());
            double maxMib = 1;
            for (final SoakSample s : samples) {
                for (final Series series : SERIES) {
                    maxMib = Math.max(maxMib, series.value().applyAsLong(s) / MIB);
                }
            }
            maxMib *= 1.1;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 5; i++) {
                final int y = MARGIN + plotH - plotH * i / 5;
                final int x = MARGIN + plotW * i / 5;
                g.setColor(Color.LIGHT_GRAY);
                g.drawLine(MARGIN, y, MARGIN + plotW, y);
                g.drawLine(x, MARGIN, x, MARGIN + plotH);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.0f", maxMib * i / 5), MARGIN - 45, y + 4);
                g.drawString(String.format(Locale.ROOT, "%.0f s", maxSeconds * i / 5), x - 12, MARGIN + plotH + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN, MARGIN, plotW, plotH);
            g.drawString(title, MARGIN, MARGIN - 25);
            g.drawString("memory (MiB) over the run; one sample every " + SoakMonitor.INTERVAL_SECONDS + " s", MARGIN, MARGIN - 8);
            g.setStroke(new BasicStroke(2f));
            int legendX = MARGIN;
            for (final Series series : SERIES) {
                g.setColor(series.color());
                int lastX = -1;
                int lastY = -1;
                for (final SoakSample s : samples) {
                    final long v = series.value().applyAsLong(s);
                    if (v < 0) {
                        continue;
                    }
                    final int x = MARGIN + (int) Math.round(plotW * s.seconds() / maxSeconds);
                    final int y = MARGIN + plotH - (int) Math.round(plotH * Math.min(1, v / MIB / maxMib));
                    if (lastX >= 0) {
                        g.drawLine(lastX, lastY, x, y);
                    } else {
                        g.fillOval(x - 2, y - 2, 4, 4);
                    }
                    lastX = x;
                    lastY = y;
                }
                g.drawString(series.name(), legendX, MARGIN + plotH + 40);
                legendX += 130;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
