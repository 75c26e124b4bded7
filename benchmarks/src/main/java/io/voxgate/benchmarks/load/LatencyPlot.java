package io.voxgate.benchmarks.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * Draws a latency-by-percentile plot as a PNG, the usual HdrHistogram shape: the x axis is log-scaled in
 * {@code 1 / (1 - percentile)} so the tail (99 %, 99.9 %, 99.99 %) gets as much room as the median.
 *
 * <p>Stateless; safe on any thread. Headless: needs no display.
 */
final class LatencyPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int MARGIN = 70;
    /** Nines shown on the x axis: 0 %, 90 %, 99 %, 99.9 %, 99.99 %, 99.999 %. */
    private static final int NINES = 5;

    private LatencyPlot() {
    }

    /** Writes the plot of {@code latencyUs} (µs) titled {@code title} to {@code png}. */
    static void write(final Path png, final Histogram latencyUs, final String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            final int plotW = WIDTH - 2 * MARGIN;
            final int plotH = HEIGHT - 2 * MARGIN;
            final double maxMs = Math.max(0.1, latencyUs.getMaxValue() / 1_000.0) * 1.1;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.LIGHT_GRAY);
            for (int n = 0; n <= NINES; n++) {
                final int x = MARGIN + plotW * n / NINES;
                g.drawLine(x, MARGIN, x, MARGIN + plotH);
                g.setColor(Color.DARK_GRAY);
                g.drawString(n == 0 ? "0%" : nines(n), x - 18, MARGIN + plotH + 18);
                g.setColor(Color.LIGHT_GRAY);
            }
            for (int i = 0; i <= 5; i++) {
                final int y = MARGIN + plotH - plotH * i / 5;
                g.drawLine(MARGIN, y, MARGIN + plotW, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.1f", maxMs * i / 5), MARGIN - 45, y + 4);
                g.setColor(Color.LIGHT_GRAY);
            }
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN, MARGIN, plotW, plotH);
            g.drawString(title, MARGIN, MARGIN - 25);
            g.drawString("round-trip latency (ms) by percentile; " + latencyUs.getTotalCount() + " frames", MARGIN, MARGIN - 8);
            g.setColor(new Color(0, 90, 180));
            g.setStroke(new BasicStroke(2f));
            int lastX = -1;
            int lastY = -1;
            for (int px = 0; px <= plotW; px++) {
                final double decades = NINES * px / (double) plotW;
                final double percentile = 100.0 * (1 - Math.pow(10, -decades));
                final double ms = latencyUs.getValueAtPercentile(percentile) / 1_000.0;
                final int x = MARGIN + px;
                final int y = MARGIN + plotH - (int) Math.round(plotH * Math.min(1, ms / maxMs));
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, x, y);
                }
                lastX = x;
                lastY = y;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static String nines(final int n) {
        return n == 1 ? "90%" : "99" + (n > 2 ? "." + "9".repeat(n - 2) : "") + "%";
    }
}
