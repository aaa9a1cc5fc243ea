package io.vigil.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG plots for the evaluation report and the benchmarks (jfreechart, headless). */
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 360;
    private static final Color THRESHOLD = new Color(200, 60, 40);
    private static final Color EVENT = new Color(40, 40, 40);
    private static final Color SHADE = new Color(255, 160, 0, 60);
    private static final Color SCORE = new Color(30, 90, 200);
    private static final Color ALERT = new Color(240, 140, 0);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    /** One named line of (x, y) points. */
    public record Line(String name, double[] x, double[] y) {
    }

    /** A span [from, to] on the x axis to shade (labelled anomalies). */
    record Span(double from, double to) {
    }

    private Charts() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A vertical line on the time axis: a failure day (solid black) or an alert (dashed orange). */
    record Event(String label, long ms, boolean failure) {
    }

    /**
     * One device's score over time (x = epoch ms, shown as dates) on a log axis, the threshold as a
     * second, legended series across the plotted days, and the events as vertical lines. Both axes
     * always include the threshold and every event, whatever the scores.
     */
    static void scoreOverTime(Path png, String title, Line score, double threshold, List<Event> events)
            throws IOException {
        write(png, chart(title, scoreOverTime(score, threshold, events)));
    }

    static XYPlot scoreOverTime(Line score, double threshold, List<Event> events) {
        double from = Math.min(score.x().length == 0 ? Double.MAX_VALUE : score.x()[0],
                events.stream().mapToDouble(Event::ms).min().orElse(Double.MAX_VALUE));
        double to = Math.max(score.x().length == 0 ? -Double.MAX_VALUE : score.x()[score.x().length - 1],
                events.stream().mapToDouble(Event::ms).max().orElse(-Double.MAX_VALUE));
        Line limit = new Line("threshold " + String.format(java.util.Locale.ROOT, "%.4g", threshold),
                new double[] {from, to}, new double[] {threshold, threshold});
        LogAxis y = new LogAxis("reconstruction error (log scale)");
        y.setSmallestValue(1e-4);
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.###", java.text.DecimalFormatSymbols.getInstance(
                java.util.Locale.ROOT)));
        double lo = threshold;
        double hi = threshold;
        for (double v : score.y()) {
            if (Double.isFinite(v) && v > 0) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        y.setRange(lo / 2, hi * 2);
        DateAxis x = new DateAxis("date");
        double day = 86_400_000d;
        x.setRange(from - day, to + day);
        XYPlot plot = plot(List.of(score, limit), x, y);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, SCORE);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesStroke(0, new BasicStroke(1.5f));
        renderer.setSeriesPaint(1, THRESHOLD);
        renderer.setSeriesStroke(1, DASHED);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem("score", SCORE));
        legend.add(new LegendItem(limit.name(), THRESHOLD));
        for (Event e : events) {
            Color colour = e.failure() ? EVENT : ALERT;
            ValueMarker m = new ValueMarker(e.ms(), colour, e.failure() ? new BasicStroke(2f) : DASHED);
            m.setLabel(e.label());
            m.setLabelTextAnchor(e.failure() ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
            m.setLabelAnchor(e.failure() ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            plot.addDomainMarker(m);
            legend.add(new LegendItem(e.label(), colour));
        }
        plot.setFixedLegendItems(legend);
        return plot;
    }

    /** Scores over a sample axis with labelled spans shaded and the threshold line. */
    static void scoreWithSpans(Path png, String title, String xLabel, List<Line> lines, List<Span> spans,
                               double threshold, boolean logScale) throws IOException {
        XYPlot plot = plot(lines, new NumberAxis(xLabel), valueAxis("reconstruction error", logScale));
        for (Span s : spans) {
            plot.addDomainMarker(new IntervalMarker(s.from(), s.to(), SHADE));
        }
        plot.addRangeMarker(new ValueMarker(threshold, THRESHOLD, new BasicStroke(1.5f)));
        write(png, title, plot);
    }

    /** Plain lines, e.g. precision and recall over thresholds. */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Line> lines, boolean logX,
                      Double markerX) throws IOException {
        XYPlot plot = plot(lines, logX ? new LogAxis(xLabel) : new NumberAxis(xLabel), new NumberAxis(yLabel));
        if (markerX != null) {
            ValueMarker m = new ValueMarker(markerX, THRESHOLD, new BasicStroke(1.5f));
            m.setLabel("calibrated threshold");
            plot.addDomainMarker(m);
        }
        write(png, title, plot);
    }

    /**
     * A training run's loss curve: training and validation MSE (normalized units, log scale) per epoch,
     * the kept epoch marked.
     */
    public static void lossCurve(Path png, String title, List<Double> train, List<Double> validation, int bestEpoch)
            throws IOException {
        double[] epochs = new double[train.size()];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        LogAxis y = new LogAxis("mean squared error (normalized, log scale)");
        y.setSmallestValue(1e-4);
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = plot(List.of(new Line("training", epochs, train.stream().mapToDouble(Double::doubleValue).toArray()),
                new Line("validation", epochs, validation.stream().mapToDouble(Double::doubleValue).toArray())), x, y);
        ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(true);
        ValueMarker kept = new ValueMarker(bestEpoch, THRESHOLD, DASHED);
        kept.setLabel("kept: epoch " + bestEpoch);
        kept.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        kept.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        plot.addDomainMarker(kept);
        write(png, title, plot);
    }

    private static org.jfree.chart.axis.ValueAxis valueAxis(String label, boolean log) {
        if (log) {
            LogAxis axis = new LogAxis(label);
            axis.setSmallestValue(1e-4);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    private static XYPlot plot(List<Line> lines, org.jfree.chart.axis.ValueAxis x,
                               org.jfree.chart.axis.ValueAxis y) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line line : lines) {
            XYSeries series = new XYSeries(line.name(), false, true);
            for (int i = 0; i < line.x().length; i++) {
                if (Double.isFinite(line.y()[i])) {
                    series.add(line.x()[i], line.y()[i]);
                }
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void write(Path png, String title, XYPlot plot) throws IOException {
        write(png, chart(title, plot));
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void write(Path png, JFreeChart chart) throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
