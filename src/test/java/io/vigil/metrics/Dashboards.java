package io.vigil.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Grafana dashboard JSON: the PromQL of every panel target and every query variable. */
final class Dashboards {

    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*");

    private Dashboards() {
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        collectPanels(dashboard.path("panels"), exprs);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                exprs.add(labelValues.matches() ? labelValues.group(1) : text); // Grafana's label_values(series, label)
            }
        }
        return exprs;
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static void collectPanels(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    exprs.add(target.get("expr").asText());
                }
            }
            collectPanels(panel.path("panels"), exprs);
        }
    }
}
