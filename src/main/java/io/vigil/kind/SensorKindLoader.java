package io.vigil.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind.AlertPolicy;
import io.vigil.kind.SensorKind.BlockStat;
import io.vigil.kind.SensorKind.Calibrate;
import io.vigil.kind.SensorKind.Likelihood;
import io.vigil.kind.SensorKind.CsvMapping;
import io.vigil.kind.SensorKind.FeatureSource;
import io.vigil.kind.SensorKind.FrontEndSpec;
import io.vigil.kind.SensorKind.Transform;
import io.vigil.kind.SensorKind.ValueRange;
import io.vigil.kind.SensorKind.KafkaTopics;
import io.vigil.kind.SensorKind.PayloadMapping;
import io.vigil.kind.SensorKind.Preprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates {@code topologies/<kind>.yaml}. Defaults are resolved here and only here; a
 * broken file fails fast with a {@link ConfigException} naming file, field and expectation.
 */
public final class SensorKindLoader {

    /** Default folder of topology files, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("topologies");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN_FIELDS = Set.of("kind", "features", "sampleRateHz", "window", "hop",
            "preprocess", "frontEnd", "chosenOn", "payload", "csv", "model", "alert", "mqtt", "kafka", "sources", "range");

    private SensorKindLoader() {
    }

    /** Loads a topology by kind name ({@code vibration}) from {@code dir}, or from a path to a file. */
    public static SensorKind load(Path dir, String kindOrFile) {
        Path asFile = Path.of(kindOrFile);
        if (kindOrFile.endsWith(".yaml") || kindOrFile.endsWith(".yml")) {
            return load(asFile);
        }
        return load(dir.resolve(kindOrFile + ".yaml"));
    }

    public static SensorKind load(Path file) {
        JsonNode root = readTree(file);
        Fields f = new Fields(file);
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping of topology fields");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_FIELDS.contains(name)) {
                throw new ConfigException(file + ": field '" + name + "': unknown; expected one of " + KNOWN_FIELDS);
            }
        }
        String kind = f.name(root, "kind");
        List<String> features = f.names(root, "features");
        double rate = f.positiveNumber(root, "sampleRateHz");
        int window = f.positiveInt(root, "window", null);
        int hop = f.positiveInt(root, "hop", null);
        if (hop > window) {
            throw ConfigException.field(file, "hop", "at most window (" + window + ")", hop);
        }
        Preprocess preprocess = preprocess(f, root.get("preprocess"));
        if (root.has("preprocess") && root.has("frontEnd")) {
            throw ConfigException.field(file, "frontEnd", "either preprocess or frontEnd, not both", "both given");
        }
        FrontEndSpec frontEnd = root.has("frontEnd") ? FrontEnds.read(f, root.get("frontEnd")) : preprocess;
        String chosenOn = root.has("chosenOn") ? f.text(root, "chosenOn", null) : null;
        PayloadMapping payload = payload(f, root.get("payload"), features);
        CsvMapping csv = csv(f, root.get("csv"));
        Path model = Path.of(f.text(root, "model", "models/" + kind + ".zip"));
        AlertPolicy alert = alert(f, root.get("alert"));
        if (alert.calibrate() != null && alert.calibrate().standardize() && preprocess.block() > 1
                && preprocess.stat() == BlockStat.RMS) {
            // training standardizes raw samples, the stream reduced ones: the same only for a linear reduction
            throw ConfigException.field(file, "alert.calibrate.standardize", "false with preprocess.stat rms", true);
        }
        if (alert.calibrate() != null && alert.calibrate().standardize() && frontEnd instanceof SensorKind.Spectrum) {
            // a spectrum frame has no per-axis level to standardize with the raw samples' mean and std
            throw ConfigException.field(file, "alert.calibrate.standardize", "false with frontEnd spectrum", true);
        }
        JsonNode mqtt = f.object(root, "mqtt", true);
        String topicFilter = f.text(mqtt, "mqtt.topicFilter", "vigil/" + kind + "/+");
        if (!topicFilter.endsWith("/+")) {
            throw ConfigException.field(file, "mqtt.topicFilter", "a filter ending in '/+' (the device id level)",
                    topicFilter);
        }
        JsonNode kafka = f.object(root, "kafka", true);
        KafkaTopics topics = new KafkaTopics(
                f.text(kafka, "kafka.readings", "vigil.readings." + kind),
                f.text(kafka, "kafka.scores", "vigil.scores." + kind),
                f.text(kafka, "kafka.alerts", "vigil.alerts"),
                f.text(kafka, "kafka.deadLetter", "vigil.deadletter"));
        Map<String, FeatureSource> sources = sources(f, root.get("sources"), features);
        Map<String, ValueRange> ranges = ranges(f, root.get("range"), features);
        return new SensorKind(kind, features, rate, window, hop, preprocess, payload, csv, model, alert,
                topicFilter, topics, sources, ranges, frontEnd, chosenOn);
    }

    /** Loads every {@code *.yaml} in {@code dir}, sorted by kind. */
    public static List<SensorKind> loadAll(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(SensorKindLoader::load).toList();
        } catch (IOException e) {
            throw new ConfigException(dir + ": cannot list topology files (" + e.getMessage() + ")");
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": topology file not found");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr()
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static Preprocess preprocess(Fields f, JsonNode node) {
        if (node == null) {
            return Preprocess.NONE;
        }
        f.requireObject(node, "preprocess");
        int block = f.positiveInt(node, "preprocess.block", 1);
        String stat = f.text(node, "preprocess.stat", "mean").toUpperCase(Locale.ROOT);
        try {
            return new Preprocess(block, BlockStat.valueOf(stat));
        } catch (IllegalArgumentException e) {
            throw ConfigException.field(f.file, "preprocess.stat", "one of mean, rms", stat.toLowerCase(Locale.ROOT));
        }
    }

    /** Optional: when present, every feature needs a {@code {column, transform}} entry. */
    private static Map<String, FeatureSource> sources(Fields f, JsonNode node, List<String> features) {
        if (node == null) {
            return Map.of();
        }
        f.requireObject(node, "sources");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!features.contains(name)) {
                throw ConfigException.field(f.file, "sources." + name, "one of the features " + features, name);
            }
        }
        Map<String, FeatureSource> sources = new LinkedHashMap<>();
        for (String feature : features) {
            JsonNode source = f.object(node, "sources." + feature, false);
            String column = f.text(source, "sources." + feature + ".column", null);
            String transform = f.text(source, "sources." + feature + ".transform", "raw");
            try {
                sources.put(feature, new FeatureSource(column, Transform.valueOf(transform.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                throw ConfigException.field(f.file, "sources." + feature + ".transform",
                        "one of raw, log1p, delta, log1p_of_delta, growth, log1p_of_growth", transform);
            }
        }
        return sources;
    }

    /** Optional {@code range: {x: [-1e6, 1e6]}}; features not listed keep {@link ValueRange#DEFAULT}. */
    private static Map<String, ValueRange> ranges(Fields f, JsonNode node, List<String> features) {
        if (node == null) {
            return Map.of();
        }
        f.requireObject(node, "range");
        Map<String, ValueRange> ranges = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String path = "range." + name;
            if (!features.contains(name)) {
                throw ConfigException.field(f.file, path, "one of the features " + features, name);
            }
            JsonNode bounds = node.get(name);
            if (!bounds.isArray() || bounds.size() != 2 || !bounds.get(0).isNumber() || !bounds.get(1).isNumber()
                    || !Double.isFinite(bounds.get(0).asDouble()) || !Double.isFinite(bounds.get(1).asDouble())
                    || !(bounds.get(0).asDouble() < bounds.get(1).asDouble())) {
                throw ConfigException.field(f.file, path, "[min, max], two finite numbers with min < max", bounds);
            }
            ranges.put(name, new ValueRange(bounds.get(0).asDouble(), bounds.get(1).asDouble()));
        }
        return ranges;
    }

    private static PayloadMapping payload(Fields f, JsonNode node, List<String> features) {
        JsonNode payload = node == null ? YAML.createObjectNode() : f.requireObject(node, "payload");
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode given = f.object(payload, "payload.fields", true);
        for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!features.contains(name)) {
                throw ConfigException.field(f.file, "payload.fields." + name, "one of the features " + features, name);
            }
        }
        for (String feature : features) {
            fields.put(feature, f.text(given, "payload.fields." + feature, feature));
        }
        return new PayloadMapping(
                f.text(payload, "payload.timestamp", "ts"),
                fields,
                f.text(payload, "payload.samples", "samples"),
                f.text(payload, "payload.rateHz", "rateHz"));
    }

    private static CsvMapping csv(Fields f, JsonNode node) {
        JsonNode csv = node == null ? YAML.createObjectNode() : f.requireObject(node, "csv");
        return new CsvMapping(
                f.text(csv, "csv.timestamp", "ts"),
                f.text(csv, "csv.device", "device"),
                f.text(csv, "csv.label", "label"));
    }

    private static AlertPolicy alert(Fields f, JsonNode node) {
        JsonNode alert = node == null ? YAML.createObjectNode() : f.requireObject(node, "alert");
        JsonNode threshold = alert.get("threshold");
        Double fixed = null;
        if (threshold != null && !(threshold.isTextual() && threshold.asText().equals("model"))) {
            if (!threshold.isNumber() || threshold.asDouble() <= 0) {
                throw ConfigException.field(f.file, "alert.threshold", "'model' or a positive number",
                        threshold.asText());
            }
            fixed = threshold.asDouble();
        }
        JsonNode share = alert.get("healthyDeviceShare");
        if (share != null && !(share.isNumber() && share.asDouble() > 0 && share.asDouble() < 1)) {
            throw ConfigException.field(f.file, "alert.healthyDeviceShare", "a number between 0 and 1", share.asText());
        }
        return new AlertPolicy(fixed,
                f.positiveInt(alert, "alert.raiseAfter", 3),
                f.positiveInt(alert, "alert.clearAfter", 5),
                share == null ? null : share.asDouble(),
                calibrate(f, alert.get("calibrate")));
    }

    private static final Set<String> CALIBRATE_FIELDS = Set.of("warmupWindows", "standardize", "quantile", "margin",
            "likelihood");
    private static final Set<String> LIKELIHOOD_FIELDS = Set.of("shortSpan", "longSpan", "threshold");

    /** Optional {@code alert.calibrate}: each device's own threshold from its warm-up windows. */
    private static Calibrate calibrate(Fields f, JsonNode node) {
        if (node == null) {
            return null;
        }
        f.requireObject(node, "alert.calibrate");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CALIBRATE_FIELDS.contains(name)) {
                throw ConfigException.field(f.file, "alert.calibrate." + name, "one of " + CALIBRATE_FIELDS, name);
            }
        }
        boolean standardize = true;
        JsonNode given = node.get("standardize");
        if (given != null) {
            if (!given.isBoolean()) {
                throw ConfigException.field(f.file, "alert.calibrate.standardize", "true or false", given);
            }
            standardize = given.asBoolean();
        }
        int warmup = f.positiveInt(node, "alert.calibrate.warmupWindows", null);
        if (warmup < (standardize ? 4 : 2)) {
            throw ConfigException.field(f.file, "alert.calibrate.warmupWindows",
                    "at least " + (standardize ? 4 : 2) + " (half standardize, half calibrate)", warmup);
        }
        JsonNode quantile = node.get("quantile");
        if (quantile != null && !(quantile.isNumber() && quantile.asDouble() > 0 && quantile.asDouble() <= 1)) {
            throw ConfigException.field(f.file, "alert.calibrate.quantile", "a number in (0, 1]", quantile);
        }
        JsonNode margin = node.get("margin");
        if (margin != null && !(margin.isNumber() && margin.asDouble() >= 0)) {
            throw ConfigException.field(f.file, "alert.calibrate.margin", "a number >= 0", margin);
        }
        return new Calibrate(warmup, standardize, quantile == null ? 0.99 : quantile.asDouble(),
                margin == null ? 1.0 : margin.asDouble(), likelihood(f, node.get("likelihood")));
    }

    /** Optional {@code alert.calibrate.likelihood}: Numenta's anomaly likelihood; {@code {}} takes NAB's settings. */
    private static Likelihood likelihood(Fields f, JsonNode node) {
        if (node == null) {
            return null;
        }
        f.requireObject(node, "alert.calibrate.likelihood");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!LIKELIHOOD_FIELDS.contains(name)) {
                throw ConfigException.field(f.file, "alert.calibrate.likelihood." + name, "one of " + LIKELIHOOD_FIELDS,
                        name);
            }
        }
        JsonNode threshold = node.get("threshold");
        if (threshold != null && !(threshold.isNumber() && threshold.asDouble() > 0 && threshold.asDouble() < 1)) {
            throw ConfigException.field(f.file, "alert.calibrate.likelihood.threshold", "a number in (0, 1)", threshold);
        }
        // Numenta's defaults: an average of 10 scores; a history of 8640 (30 days of 5-minute samples)
        return new Likelihood(f.positiveInt(node, "alert.calibrate.likelihood.shortSpan", 10),
                f.positiveInt(node, "alert.calibrate.likelihood.longSpan", 8640),
                threshold == null ? 0.99999 : threshold.asDouble());
    }

    /** Field readers that know the file, so every error names file and field. */
    record Fields(Path file) {

        JsonNode requireObject(JsonNode node, String path) {
            if (!node.isObject()) {
                throw ConfigException.field(file, path, "a mapping", node);
            }
            return node;
        }

        JsonNode object(JsonNode parent, String path, boolean optional) {
            JsonNode node = parent.get(last(path));
            if (node == null && optional) {
                return YAML.createObjectNode();
            }
            if (node == null || !node.isObject()) {
                throw ConfigException.field(file, path, "a mapping", node);
            }
            return node;
        }

        String name(JsonNode parent, String path) {
            String value = text(parent, path, null);
            if (!value.matches("[A-Za-z][A-Za-z0-9_-]*")) {
                throw ConfigException.field(file, path, "a name of letters, digits, '_' or '-'", value);
            }
            return value;
        }

        String text(JsonNode parent, String path, String fallback) {
            JsonNode node = parent.get(last(path));
            if (node == null || node.isNull()) {
                if (fallback == null) {
                    throw ConfigException.field(file, path, "a text value", null);
                }
                return fallback;
            }
            if (!node.isValueNode() || node.asText().isBlank()) {
                throw ConfigException.field(file, path, "a non-empty text value", node);
            }
            return node.asText();
        }

        List<String> names(JsonNode parent, String path) {
            JsonNode node = parent.get(last(path));
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw ConfigException.field(file, path, "a non-empty list of names, e.g. [x, y, z]", node);
            }
            List<String> names = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isTextual() || item.asText().isBlank()) {
                    throw ConfigException.field(file, path, "a list of names", item);
                }
                if (names.contains(item.asText())) {
                    throw ConfigException.field(file, path, "distinct names", item.asText() + " twice");
                }
                names.add(item.asText());
            }
            return names;
        }

        int positiveInt(JsonNode parent, String path, Integer fallback) {
            JsonNode node = parent.get(last(path));
            if (node == null && fallback != null) {
                return fallback;
            }
            if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
                throw ConfigException.field(file, path, "a positive integer", node);
            }
            return node.asInt();
        }

        double positiveNumber(JsonNode parent, String path, Double fallback) {
            return parent.get(last(path)) == null && fallback != null ? fallback : positiveNumber(parent, path);
        }

        double positiveNumber(JsonNode parent, String path) {
            JsonNode node = parent.get(last(path));
            if (node == null || !node.isNumber() || !(node.asDouble() > 0) || Double.isInfinite(node.asDouble())) {
                throw ConfigException.field(file, path, "a positive number", node);
            }
            return node.asDouble();
        }

        private static String last(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
