package io.github.intuneexporter.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Inline SVG charts (no script, no external resources), sized by viewBox so they scale on screen and paper. */
final class SvgCharts {
    private SvgCharts() {}

    /** One line of a line chart: (epoch seconds, value) points. */
    record Line(String name, List<double[]> points) {}

    /** One bar of a bar chart. */
    record Bar(String name, double value) {}

    static final String[] COLORS = {
        "#1f6fb2", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b8860b"
    };
    private static final int W = 720;
    private static final int H = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 44;

    /**
     * A line chart over [from, to]. {@code ratio} draws 0..100 % on the y axis; otherwise 0..max. A gap of more than
     * two steps between points breaks the line (no data is never drawn as a straight line).
     */
    static String lines(String title, List<Line> lines, long from, long to, long step, boolean ratio) {
        double max = ratio ? 1 : niceMax(lines);
        double min = ratio ? ratioFloor(lines) : 0;
        StringBuilder sb = open(title);
        yAxis(sb, min, max, ratio);
        xAxis(sb, from, to);
        int legendX = LEFT;
        for (int li = 0; li < lines.size(); li++) {
            Line l = lines.get(li);
            String color = COLORS[li % COLORS.length];
            series(sb, l, color, from, to, step, min, max);
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                    legendX,
                    H - 14,
                    color));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>",
                    legendX + 14,
                    H - 5,
                    Format.html(l.name())));
            legendX += 24 + 7 * l.name().length();
        }
        return sb.append("</svg>").toString();
    }

    /** The top of a 0..max axis: the lines' largest value rounded up to a nice number (1 when none is positive). */
    private static double niceMax(List<Line> lines) {
        double max = 0;
        for (Line l : lines) {
            for (double[] p : l.points()) {
                max = Math.max(max, p[1]);
            }
        }
        return max <= 0 ? 1 : niceCeiling(max);
    }

    /**
     * The bottom of a ratio axis: the interesting band above the lines' lowest value, split into four round steps
     * (25, 20, 10, 5, 2 or 1 percentage points).
     */
    private static double ratioFloor(List<Line> lines) {
        double lowest = 1;
        for (Line l : lines) {
            for (double[] p : l.points()) {
                lowest = Math.min(lowest, p[1]);
            }
        }
        for (double candidate : new double[] {0.96, 0.92, 0.8, 0.6, 0.2}) {
            if (lowest - 0.01 >= candidate) {
                return candidate;
            }
        }
        return 0;
    }

    /** Five grid lines from min to max, labelled as percentages or numbers. */
    private static void yAxis(StringBuilder sb, double min, double max, boolean ratio) {
        double plotH = H - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double v = min + (max - min) * i / 4;
            double y = TOP + plotH - plotH * i / 4;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    LEFT,
                    y,
                    W - RIGHT,
                    y));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6,
                    y + 4,
                    ratio ? Math.round(v * 100) + " %" : Format.number(v)));
        }
    }

    /** Five time labels from {@code from} to {@code to} (UTC; dates only over more than three days). */
    private static void xAxis(StringBuilder sb, long from, long to) {
        double plotW = W - LEFT - RIGHT;
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern(
                        to - from > 3 * 86400 ? "MMM d" : "MMM d HH:mm", Locale.ROOT)
                .withZone(ZoneOffset.UTC);
        for (int i = 0; i <= 4; i++) {
            long t = from + (to - from) * i / 4;
            double x = LEFT + plotW * i / 4;
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    x,
                    H - BOTTOM + 16,
                    i == 0 ? "start" : i == 4 ? "end" : "middle",
                    fmt.format(Instant.ofEpochSecond(t))));
        }
    }

    /** One line as a path broken at gaps of more than two steps, with a dot on its last point. */
    private static void series(
            StringBuilder sb, Line l, String color, long from, long to, long step, double min, double max) {
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder path = new StringBuilder();
        double lastT = Double.NaN;
        for (double[] p : l.points()) {
            double x = LEFT + plotW * (p[0] - from) / Math.max(1, to - from);
            double y = TOP + plotH - plotH * (clamp(p[1], min, max) - min) / Math.max(1e-12, max - min);
            boolean gap = Double.isNaN(lastT) || p[0] - lastT > 2.5 * step;
            path.append(gap ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            lastT = p[0];
        }
        sb.append("<path class=\"series\" fill=\"none\" stroke=\"")
                .append(color)
                .append("\" stroke-width=\"2\" d=\"")
                .append(path.toString().trim())
                .append("\"><title>")
                .append(Format.html(l.name()))
                .append("</title></path>");
        // A single point would be invisible as a path: mark every series' last point.
        if (!l.points().isEmpty()) {
            double[] p = l.points().get(l.points().size() - 1);
            sb.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                    LEFT + plotW * (p[0] - from) / Math.max(1, to - from),
                    TOP + plotH - plotH * (clamp(p[1], min, max) - min) / Math.max(1e-12, max - min),
                    color));
        }
    }

    /** A horizontal bar chart. */
    static String bars(String title, List<Bar> bars, boolean ratio) {
        int rowH = 22;
        int height = TOP + rowH * bars.size() + 8;
        double max = ratio ? 1 : bars.stream().mapToDouble(Bar::value).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int labelW = 220;
        double plotW = W - labelW - 80;
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\"><title>%s</title>",
                W,
                height,
                Format.html(title)));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = TOP + i * rowH;
            double w = Math.max(b.value() > 0 ? 1 : 0, plotW * b.value() / max);
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    labelW - 8,
                    y + 14,
                    Format.html(b.name())));
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    labelW,
                    y + 3,
                    w,
                    rowH - 6,
                    COLORS[0]));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\">%s</text>",
                    labelW + w + 6,
                    y + 14,
                    ratio ? Format.percent(b.value()) : Format.number(b.value())));
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\"><title>%s</title>",
                W,
                H,
                Format.html(title)));
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * magnitude >= v) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
