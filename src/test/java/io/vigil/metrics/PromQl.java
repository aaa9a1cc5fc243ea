package io.vigil.metrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading for the dashboard checks: the metric names an expression selects.
 * Label matchers, range and offset brackets, strings, Grafana variables, grouping clauses, numbers,
 * function names and keywords are removed; every identifier left is a metric name. Also the labels
 * an expression groups {@code by}, and the labels each series of a scrape has.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            boolean isFunction = s.substring(m.end()).stripLeading().startsWith("(");
            boolean isNumber = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!isFunction && !isNumber && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    /** Sample names in a Prometheus text scrape: {@code name} of every {@code name{labels} value} line. */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENTIFIER.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The labels of every {@code by (...)} clause in {@code expr}. */
    static Set<String> groupingLabels(String expr) {
        Set<String> labels = new TreeSet<>();
        Matcher m = BY.matcher(STRING.matcher(expr).replaceAll(" "));
        while (m.find()) {
            for (String label : m.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    /** Sample name → the label names any of its series has, in a Prometheus text scrape. */
    static Map<String, Set<String>> labelNames(String scrape) {
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            Matcher name = IDENTIFIER.matcher(line);
            if (line.isBlank() || line.startsWith("#") || !name.lookingAt()) {
                continue;
            }
            Set<String> names = labels.computeIfAbsent(name.group(), k -> new TreeSet<>());
            int brace = line.indexOf('{');
            if (brace == name.end()) {
                Matcher label = LABEL.matcher(STRING.matcher(line.substring(brace)).replaceAll("\"\""));
                while (label.find()) {
                    names.add(label.group(1));
                }
            }
        }
        return labels;
    }
}
