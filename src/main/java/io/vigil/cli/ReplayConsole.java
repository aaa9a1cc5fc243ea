package io.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What a replay shows on stderr: a progress bar, {@code [#####...............] 12/40 days  131,000 rows
 * 12,800 rows/s}, redrawn in place on a terminal and printed as a line every {@link #EVERY} otherwise
 * (logs, CI); and each problem (bad row, skipped file) as it is met, the first {@value #SHOWN_PROBLEMS}
 * in full and the rest counted at the end.
 */
final class ReplayConsole {

    /** Bar width in characters. */
    static final int WIDTH = 20;
    /** Between two progress lines when stderr is not a terminal. */
    static final Duration EVERY = Duration.ofSeconds(5);
    /** Between two redraws on a terminal: often enough to look live, rarely enough to cost nothing. */
    static final Duration REDRAW = Duration.ofMillis(200);
    /** Problems printed in full; a broken file must not flood the terminal. */
    static final int SHOWN_PROBLEMS = 20;

    private final PrintWriter err;
    private final boolean terminal;
    private long nextDraw;
    private String bar = "";
    private long problems;

    ReplayConsole(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** On the process's stderr; a terminal when the JVM has a console. */
    static ReplayConsole of(PrintWriter err) {
        return new ReplayConsole(err, System.console() != null);
    }

    /** {@code [#####.....] text}, the bar filled by {@code fraction} (0..1). */
    static String bar(double fraction, String text) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text;
    }

    static String days(int days, int totalDays, long rows, double rowsPerSecond) {
        return String.format(Locale.ROOT, "%d/%d days  %,d rows  %,.0f rows/s", days, totalDays, rows, rowsPerSecond);
    }

    static String samples(long samples, long totalSamples, long readings, double samplesPerSecond) {
        return String.format(Locale.ROOT, "%,d/%,d samples  %,d readings  %,.0f samples/s", samples, totalSamples,
                readings, samplesPerSecond);
    }

    /** Shows progress, at most every {@link #REDRAW} on a terminal and every {@link #EVERY} otherwise. */
    void progress(long done, long total, String text) {
        long now = System.nanoTime();
        if (done < total && now < nextDraw) {
            return;
        }
        nextDraw = now + (terminal ? REDRAW : EVERY).toNanos();
        String line = bar(total > 0 ? (double) done / total : 1, text);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, bar.length() - line.length())));
            if (done >= total) {
                err.println();
                line = "";
            }
        } else {
            err.println(line);
        }
        bar = line;
        err.flush();
    }

    /** One problem, as met; on a terminal above the bar, which is then redrawn. */
    void problem(String problem) {
        problems++;
        if (problems > SHOWN_PROBLEMS) {
            return;
        }
        if (terminal && !bar.isEmpty()) {
            err.print("\r" + " ".repeat(bar.length()) + "\r");
        }
        err.println(problem);
        if (terminal && !bar.isEmpty()) {
            err.print(bar);
        }
        err.flush();
    }

    /** After the replay: how many problems were not shown. */
    void finish() {
        if (problems > SHOWN_PROBLEMS) {
            err.printf(Locale.ROOT, "... and %,d more problems (the first %d are above)%n", problems - SHOWN_PROBLEMS,
                    SHOWN_PROBLEMS);
        }
        err.flush();
    }
}
