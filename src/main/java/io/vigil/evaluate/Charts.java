package io.vigil.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG plots for the evaluation report and the benchmarks (jfreechart, headless). */
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 360;
    private static final Color THRESHOLD = new Color(200, 60, 40);
    private static final Color EVENT = new Color(40, 40, 40);
    private static final Color SHADE = new Color(255, 160, 0, 60);

    /** One named line of (x, y) points. */
    public record Line(String name, double[] x, double[] y) {
    }

    /** A span [from, to] on the x axis to shade (labelled anomalies). */
    record Span(double from, double to) {
    }

    private Charts() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Scores over time (x = epoch ms, shown as dates) with the threshold as a horizontal line and,
     * when {@code eventMs} is not null, a vertical line at the failure day.
     */
    static void scoreOverTime(Path png, String title, List<Line> lines, double threshold, Long eventMs,
                              String eventLabel, boolean logScale) throws IOException {
        XYPlot plot = plot(lines, new DateAxis("date"), valueAxis("reconstruction error", logScale));
        ValueMarker t = new ValueMarker(threshold, THRESHOLD, new BasicStroke(1.5f));
        t.setLabel("threshold");
        plot.addRangeMarker(t);
        if (eventMs != null) {
            ValueMarker e = new ValueMarker(eventMs, EVENT, new BasicStroke(2f));
            e.setLabel(eventLabel);
            plot.addDomainMarker(e);
        }
        write(png, title, plot);
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
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
