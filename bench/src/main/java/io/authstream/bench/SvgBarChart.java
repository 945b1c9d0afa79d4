package io.authstream.bench;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as standalone SVG (no plotting library needed): one bar per measured
 * ratio, a dashed line at the target, the figure written beside each bar.
 */
final class SvgBarChart {

    record Bar(String label, double value, String note) {}

    private static final int LABEL_WIDTH = 300;
    private static final int PLOT_WIDTH = 420;
    private static final int ROW = 28;

    private SvgBarChart() {}

    static String render(String title, String axis, List<Bar> bars, double target, String targetLabel) {
        double max =
                Math.max(target, bars.stream().mapToDouble(Bar::value).max().orElse(1)) * 1.1;
        int height = 60 + bars.size() * ROW + 40;
        int width = LABEL_WIDTH + PLOT_WIDTH + 160;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n",
                width,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        int y = 45;
        for (Bar bar : bars) {
            double w = bar.value() / max * PLOT_WIDTH;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8,
                    y + 15,
                    escape(bar.label())));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n",
                    LABEL_WIDTH,
                    y,
                    w,
                    bar.value() >= target ? "#2e7d32" : "#c62828"));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    LABEL_WIDTH + w + 6,
                    y + 15,
                    escape(bar.note())));
            y += ROW;
        }
        double tx = LABEL_WIDTH + target / max * PLOT_WIDTH;
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"38\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" " + "stroke-dasharray=\"4 3\"/>%n",
                tx,
                tx,
                y + 2));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                tx,
                y + 18,
                escape(targetLabel)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                LABEL_WIDTH + PLOT_WIDTH / 2,
                y + 34,
                escape(axis)));
        return svg.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
