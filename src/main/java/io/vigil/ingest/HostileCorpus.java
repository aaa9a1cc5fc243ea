package io.vigil.ingest;

import io.vigil.payload.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-input corpus ({@code src/main/resources/hostile/readings.tsv}): bad MQTT messages, each
 * with the dead-letter reason the bridge must give it. The file's header explains columns and escapes.
 * The tests check every entry; {@code vigil bench soak} mixes them into a live fleet.
 */
public final class HostileCorpus {

    /** Where the corpus lives on the class path. */
    public static final String RESOURCE = "/hostile/readings.tsv";

    private static final Pattern NOW = Pattern.compile("\\$\\{now(?:\\+(\\d+)([dhm]))?}");
    private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(\\d+):([^}]*)}");

    /** One bad message. {@code topic} is a Java string (it may hold characters MQTT refuses). */
    public record Entry(String id, boolean viaMqtt, String topic, RejectReason reason, byte[] payload) {

        public String kind() {
            return topic.split("/", 3)[1];
        }

        /** Device id as the parser sees it: everything after {@code vigil/<kind>/}. */
        public String deviceId() {
            String[] levels = topic.split("/", 3);
            return levels.length < 3 ? "" : levels[2];
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private HostileCorpus() {
    }

    /** Every entry, with {@code ${now}} resolved against {@code nowMs}. */
    public static List<Entry> load(long nowMs) {
        List<String> lines;
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != 5) {
                throw new IllegalArgumentException(RESOURCE + ": expected 5 tab-separated columns: " + line);
            }
            if (!ids.add(cols[0])) {
                throw new IllegalArgumentException(RESOURCE + ": duplicate id " + cols[0]);
            }
            String topic = new String(expand(cols[2], nowMs), StandardCharsets.UTF_8);
            entries.add(new Entry(cols[0], cols[1].equals("mqtt"), topic, RejectReason.valueOf(cols[3]),
                    expand(cols[4], nowMs)));
        }
        return entries;
    }

    /** The entries MQTT itself can carry (the rest are topics a broker refuses). */
    public static List<Entry> viaMqtt(long nowMs) {
        return load(nowMs).stream().filter(Entry::viaMqtt).toList();
    }

    /** Macros first, then escapes, into bytes (so {@code \xHH} can make invalid UTF-8). */
    static byte[] expand(String text, long nowMs) {
        long today = nowMs - Math.floorMod(nowMs, Duration.ofDays(1).toMillis());
        String s = text.replace("${today}", Long.toString(today));
        Matcher now = NOW.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (now.find()) {
            long ahead = now.group(1) == null ? 0
                    : Long.parseLong(now.group(1)) * switch (now.group(2)) {
                        case "d" -> 86_400_000L;
                        case "h" -> 3_600_000L;
                        default -> 60_000L;
                    };
            now.appendReplacement(sb, Long.toString(nowMs + ahead));
        }
        now.appendTail(sb);
        Matcher repeat = REPEAT.matcher(sb.toString());
        sb = new StringBuilder();
        while (repeat.find()) {
            repeat.appendReplacement(sb, Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
        }
        repeat.appendTail(sb);
        return unescape(sb.toString());
    }

    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                chars.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> chars.append('\n');
                case 't' -> chars.append('\t');
                case 'r' -> chars.append('\r');
                case '\\' -> chars.append('\\');
                case 'u' -> {
                    chars.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'x' -> {
                    out.writeBytes(chars.toString().getBytes(StandardCharsets.UTF_8));
                    chars.setLength(0);
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> chars.append('\\').append(e);
            }
        }
        out.writeBytes(chars.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
