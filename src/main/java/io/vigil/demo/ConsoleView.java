package io.vigil.demo;

import io.vigil.stream.AlertEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's console: a table of every device (latest score against threshold, NORMAL/ALERT, since
 * when) and one line per alert event as it happens. On a terminal ({@code ansi}) the table is redrawn
 * in place with the latest alerts under it; otherwise (pipes, CI logs) alert lines are printed as
 * they come and the table is printed again on every {@link #render()}.
 */
public final class ConsoleView implements EventTail.Listener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final int RECENT_ALERTS = 12;
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    private final PrintStream out;
    private final boolean ansi;
    private final String title;
    private final DeviceBoard board = new DeviceBoard();
    private final Deque<String> recent = new ArrayDeque<>();

    public ConsoleView(PrintStream out, boolean ansi, String title) {
        this.out = out;
        this.ansi = ansi;
        this.title = title;
    }

    public DeviceBoard board() {
        return board;
    }

    @Override
    public void score(io.vigil.stream.ScoreEvent event, long receivedMs) {
        board.score(event, receivedMs);
    }

    @Override
    public void alert(AlertEvent event) {
        board.alert(event);
        String line = alertLine(event);
        synchronized (this) {
            if (ansi) {
                recent.addLast(line);
                while (recent.size() > RECENT_ALERTS) {
                    recent.removeFirst();
                }
                render();
            } else {
                out.println(line);
                out.flush();
            }
        }
    }

    /** Prints the device table (and, on a terminal, the recent alerts). */
    public synchronized void render() {
        StringBuilder s = new StringBuilder();
        if (ansi) {
            s.append(CLEAR_SCREEN);
        }
        s.append(table());
        if (ansi) {
            s.append("\nAlerts (latest last)\n");
            if (recent.isEmpty()) {
                s.append("  none yet\n");
            }
            recent.forEach(line -> s.append(line).append('\n'));
            s.append("\nCtrl-C to stop\n");
        }
        out.print(s);
        out.flush();
    }

    /** Prints one line outside the table (fleet progress, shutdown); on a terminal it shows until the next redraw. */
    public synchronized void note(String line) {
        out.println(line);
        out.flush();
    }

    String table() {
        var rows = board.rows();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%s  %s  %d devices, %d in ALERT%n", TIME.format(Instant.now()), title,
                rows.size(), board.alerting()));
        s.append(String.format(Locale.ROOT, "  %-14s %10s %10s %7s  %-6s %-9s %-9s %s%n", "DEVICE", "SCORE",
                "THRESHOLD", "xTHR", "STATE", "SINCE", "SEVERITY", "AXIS"));
        if (rows.isEmpty()) {
            s.append("  (waiting for the first scored windows)\n");
        }
        for (DeviceBoard.Row r : rows) {
            boolean alert = r.status() == DeviceBoard.Status.ALERT;
            s.append(String.format(Locale.ROOT, "%s %-14s %10.5f %10.5f %7.2f  %-6s %-9s %-9s %s%n",
                    alert ? "!" : " ", r.deviceId(), r.score(), r.threshold(), r.ratio(), r.status(),
                    TIME.format(Instant.ofEpochMilli(r.sinceMs())), alert ? r.severity() : "",
                    alert && r.worstAxis() != null
                            ? String.format(Locale.ROOT, "%s %.0f%%", r.worstAxis(), 100 * r.axisShare()) : ""));
        }
        return s.toString();
    }

    /** One line per alert event: when, what, which device, how bad, which axis. */
    static String alertLine(AlertEvent e) {
        String shares = e.featureShare() == null ? "" : e.featureShare().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(en -> String.format(Locale.ROOT, "%s %.0f%%", en.getKey(), 100 * en.getValue()))
                .collect(Collectors.joining(", "));
        long at = e.state() == AlertEvent.State.RAISED ? e.firstWindowStart() : e.lastWindowEnd();
        return String.format(Locale.ROOT, "%s %-7s %-14s %-8s peak %.5f (%.1fx threshold %.5f)  axes: %s  [%s]",
                TIME.format(Instant.ofEpochMilli(e.detectedAt())), e.state(), e.deviceId(), e.severity(),
                e.peakScore(), e.peakScore() / e.threshold(), e.threshold(), shares,
                (e.state() == AlertEvent.State.RAISED ? "anomalous since " : "last anomalous window ")
                        + TIME.format(Instant.ofEpochMilli(at)));
    }
}
