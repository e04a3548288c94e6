package io.threatmon.reports.internal;

import static io.threatmon.reports.internal.Xml.esc;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Small hand-written SVG charts for the HTML report: horizontal bars, a line/area chart for time
 * series and a column histogram. Each is one {@code <svg>} with {@code role="img"}, a {@code <title>}
 * and a {@code <desc>}, axis labels and printed values, 680 units wide (the text width of an A4 page
 * at 96 dpi) and scaled to the page with {@code width="100%"}. No data → a chart that says so.
 */
public final class Charts {

    public static final int WIDTH = 680;
    public static final String NO_DATA = "No data";

    private static final String INK = "#222";
    private static final String GRID = "#d0d0d0";
    private static final int LABEL_CHARS = 28;

    /** A bar or column: its label, its value, and the text printed with it. */
    public record Bar(String label, double value, String valueLabel) {}

    /** A time-series point. */
    public record Point(String label, double value) {}

    private Charts() {}

    /** Horizontal bars, one row per item, labels on the left and values at the bar ends. */
    public static String horizontalBars(String id, String title, String desc, List<Bar> bars, String color,
            String axisLabel) {
        if (bars.isEmpty() || bars.stream().allMatch(b -> b.value() <= 0)) {
            return noData(id, title, desc);
        }
        int row = 24;
        int top = 8;
        int x0 = 190;
        int plotW = WIDTH - x0 - 96;
        int plotBottom = top + bars.size() * row;
        int height = plotBottom + 42;
        double[] ticks = ticks(bars.stream().mapToDouble(Bar::value).max().orElse(1));
        double max = ticks[ticks.length - 1];
        StringBuilder s = open(id, title, desc, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = top + i * row;
            double w = b.value() <= 0 ? 0 : Math.max(1, b.value() / max * plotW);
            s.append("<text x=\"").append(x0 - 8).append("\" y=\"").append(n(y + 16))
                    .append("\" text-anchor=\"end\" font-size=\"12\" fill=\"").append(INK).append("\">")
                    .append(esc(truncate(b.label()))).append("</text>\n");
            s.append("<rect x=\"").append(x0).append("\" y=\"").append(n(y + 4)).append("\" width=\"").append(n(w))
                    .append("\" height=\"16\" fill=\"").append(color).append("\"/>\n");
            s.append("<text x=\"").append(n(x0 + w + 6)).append("\" y=\"").append(n(y + 16))
                    .append("\" font-size=\"12\" fill=\"").append(INK).append("\">").append(esc(b.valueLabel()))
                    .append("</text>\n");
        }
        line(s, x0, plotBottom + 4, x0 + plotW, plotBottom + 4, INK);
        for (double tick : ticks) {
            double x = x0 + plotW * tick / max;
            line(s, x, plotBottom + 4, x, plotBottom + 8, INK);
            text(s, x, plotBottom + 20, "middle", 11, compact(tick));
        }
        text(s, x0 + plotW / 2.0, plotBottom + 36, "middle", 11, axisLabel);
        return s.append("</svg>\n").toString();
    }

    /** A line over a light area, with a y axis from 0 and up to eight x labels. */
    public static String timeLine(String id, String title, String desc, List<Point> points, DoubleFunction<String> yFormat,
            String xAxisLabel, String yAxisLabel, String color) {
        if (points.isEmpty()) {
            return noData(id, title, desc);
        }
        int height = 270;
        int left = 64;
        int right = 20;
        int top = 16;
        int plotW = WIDTH - left - right;
        int plotH = 180;
        int bottom = top + plotH;
        double[] ticks = ticks(points.stream().mapToDouble(Point::value).max().orElse(0));
        double max = ticks[ticks.length - 1];
        StringBuilder s = open(id, title, desc, height);
        yGrid(s, ticks, left, plotW, bottom, plotH, yFormat);
        int count = points.size();
        double[] xs = new double[count];
        double[] ys = new double[count];
        for (int i = 0; i < count; i++) {
            xs[i] = count == 1 ? left + plotW / 2.0 : left + plotW * i / (double) (count - 1);
            ys[i] = bottom - (max == 0 ? 0 : points.get(i).value() / max * plotH);
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < count; i++) {
            path.append(i == 0 ? "M" : " L").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        s.append("<path d=\"").append(path).append(" L").append(n(xs[count - 1])).append(',').append(bottom)
                .append(" L").append(n(xs[0])).append(',').append(bottom).append(" Z\" fill=\"").append(color)
                .append("\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
        s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"2\"/>\n");
        if (count <= 72) {
            for (int i = 0; i < count; i++) {
                s.append("<circle cx=\"").append(n(xs[i])).append("\" cy=\"").append(n(ys[i]))
                        .append("\" r=\"2.5\" fill=\"").append(color).append("\"/>\n");
            }
        }
        int step = (int) Math.ceil(count / 8.0);
        for (int i = 0; i < count; i += step) {
            line(s, xs[i], bottom, xs[i], bottom + 4, INK);
            text(s, xs[i], bottom + 18, "middle", 11, points.get(i).label());
        }
        text(s, left + plotW / 2.0, bottom + 44, "middle", 11, xAxisLabel);
        s.append("<text transform=\"translate(14,").append(n(top + plotH / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"").append(INK).append("\">")
                .append(esc(yAxisLabel)).append("</text>\n");
        return s.append("</svg>\n").toString();
    }

    /** Horizontal grid lines at each tick of a y axis from 0, with their labels on the left. */
    private static void yGrid(StringBuilder s, double[] ticks, int left, int plotW, int bottom, int plotH,
            DoubleFunction<String> format) {
        double max = ticks[ticks.length - 1];
        for (double tick : ticks) {
            double y = bottom - plotH * tick / max;
            line(s, left, y, left + plotW, y, tick == 0 ? INK : GRID);
            text(s, left - 6, y + 4, "end", 11, format.apply(tick));
        }
    }

    /** Vertical columns (a histogram), values above, labels below, one colour per column. */
    public static String columns(String id, String title, String desc, List<Bar> bins, List<String> colors,
            String xAxisLabel, String yAxisLabel) {
        if (bins.isEmpty() || bins.stream().allMatch(b -> b.value() <= 0)) {
            return noData(id, title, desc);
        }
        int height = 270;
        int left = 64;
        int right = 12;
        int top = 22;
        int plotW = WIDTH - left - right;
        int plotH = 174;
        int bottom = top + plotH;
        double[] ticks = ticks(bins.stream().mapToDouble(Bar::value).max().orElse(0));
        double max = ticks[ticks.length - 1];
        StringBuilder s = open(id, title, desc, height);
        yGrid(s, ticks, left, plotW, bottom, plotH, Charts::compact);
        double slot = plotW / (double) bins.size();
        for (int i = 0; i < bins.size(); i++) {
            Bar b = bins.get(i);
            double h = b.value() <= 0 ? 0 : Math.max(1, b.value() / max * plotH);
            double x = left + i * slot + slot * 0.1;
            s.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(bottom - h)).append("\" width=\"")
                    .append(n(slot * 0.8)).append("\" height=\"").append(n(h)).append("\" fill=\"")
                    .append(colors.get(i % colors.size())).append("\"/>\n");
            text(s, x + slot * 0.4, bottom - h - 5, "middle", 11, b.valueLabel());
            text(s, x + slot * 0.4, bottom + 16, "middle", 11, b.label());
        }
        text(s, left + plotW / 2.0, bottom + 42, "middle", 11, xAxisLabel);
        s.append("<text transform=\"translate(14,").append(n(top + plotH / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"").append(INK).append("\">")
                .append(esc(yAxisLabel)).append("</text>\n");
        return s.append("</svg>\n").toString();
    }

    private static String noData(String id, String title, String desc) {
        StringBuilder s = open(id, title, desc + " " + NO_DATA + ".", 60);
        s.append("<rect x=\"0.5\" y=\"0.5\" width=\"").append(WIDTH - 1)
                .append("\" height=\"59\" fill=\"none\" stroke=\"").append(GRID).append("\"/>\n");
        text(s, WIDTH / 2.0, 35, "middle", 13, NO_DATA);
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, String title, String desc, int height) {
        StringBuilder s = new StringBuilder(2048);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" id=\"").append(id)
                .append("\" aria-labelledby=\"").append(id).append("-title ").append(id).append("-desc\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"")
                .append(" font-family=\"Helvetica, Arial, sans-serif\">\n");
        s.append("<title id=\"").append(id).append("-title\">").append(esc(title)).append("</title>\n");
        s.append("<desc id=\"").append(id).append("-desc\">").append(esc(desc)).append("</desc>\n");
        return s;
    }

    private static void line(StringBuilder s, double x1, double y1, double x2, double y2, String color) {
        s.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(color).append("\" stroke-width=\"1\"/>\n");
    }

    private static void text(StringBuilder s, double x, double y, String anchor, int size, String content) {
        s.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"").append(size).append("\" fill=\"").append(INK).append("\">")
                .append(esc(content)).append("</text>\n");
    }

    private static String truncate(String label) {
        String l = label == null ? "" : label;
        return l.length() <= LABEL_CHARS ? l : l.substring(0, LABEL_CHARS - 1) + "…";
    }

    private static String n(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** Axis ticks from 0: a round step (1, 2, 2.5 or 5 × 10^k) about a quarter of {@code max}, up to ≥ max. */
    static double[] ticks(double max) {
        double step = niceCeiling(max / 4);
        int count = max <= 0 ? 4 : Math.max(1, (int) Math.ceil(max / step - 1e-9));
        double[] ticks = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            ticks[i] = step * i;
        }
        return ticks;
    }

    /** A round number ≥ v: 1, 2, 2.5, 5 × 10^k (1 for v ≤ 0). */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double exp = Math.pow(10, Math.floor(Math.log10(v)));
        double f = v / exp;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * exp;
    }

    /** Axis tick text: 1200 → "1.2k", 3 → "3", 0.5 → "0.5". */
    static String compact(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 10_000) {
            return trim(v / 1000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    /** Axis tick text for a rate 0-1: 0.025 → "2.5%", 0.0025 → "0.25%". */
    public static String percentTick(double rate) {
        return trim(rate * 100) + "%";
    }
}
