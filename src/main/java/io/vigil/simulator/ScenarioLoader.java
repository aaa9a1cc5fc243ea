package io.vigil.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.config.ConfigException;
import io.vigil.simulator.Scenario.DeviceFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a scenario file ({@code simulator/*.yaml}). Defaults are resolved here only;
 * a broken file fails fast with a one-line {@link ConfigException} naming file, field and expectation.
 */
public final class ScenarioLoader {

    /** Folder of the scenario files shipped with Vigil, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("simulator");

    static final String DEFAULT_TOPOLOGY = "vibration";
    static final String DEFAULT_PREFIX = "device-";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN_FIELDS = Set.of("name", "seed", "topology", "devices", "rateHz",
            "durationSeconds", "noiseStd", "faults");
    private static final Set<String> DEVICE_FIELDS = Set.of("count", "prefix");
    /** Fields each fault mode takes besides {@code devices} and {@code mode}. */
    private static final Map<String, List<String>> MODE_FIELDS = Map.of(
            FaultSchedule.NONE, List.of(),
            FaultSchedule.SUDDEN, List.of("at"),
            FaultSchedule.GRADUAL, List.of("start", "duration"),
            FaultSchedule.INTERMITTENT, List.of("start", "burst", "period"));
    private static final String MODES = "one of none, sudden, gradual, intermittent";

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) {
        JsonNode root = readTree(file);
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping of scenario fields");
        }
        requireKnown(file, root, "", KNOWN_FIELDS);
        String name = text(file, root, "name", null);
        long seed = integer(file, root, "seed");
        String topology = text(file, root, "topology", DEFAULT_TOPOLOGY);
        JsonNode devices = root.get("devices");
        if (devices == null || !devices.isObject()) {
            throw bad(file, "devices", "a mapping with count and prefix, e.g. {count: 20, prefix: bearing-}",
                    devices);
        }
        requireKnown(file, devices, "devices.", DEVICE_FIELDS);
        long count = integer(file, devices, "devices.count");
        if (count < 1 || count > 100_000) {
            throw bad(file, "devices.count", "an integer from 1 to 100000", count);
        }
        String prefix = text(file, devices, "devices.prefix", DEFAULT_PREFIX);
        if (!prefix.matches("[A-Za-z0-9_.:-]+")) {
            // ids end up as an MQTT topic level, a Kafka key and a CSV cell
            throw bad(file, "devices.prefix", "letters, digits, '_', '.', ':' or '-'", prefix);
        }
        double rateHz = positive(file, root, "rateHz");
        double duration = positive(file, root, "durationSeconds");
        double noise = number(file, root, "noiseStd", 0.0);
        if (noise < 0) {
            throw bad(file, "noiseStd", "a number >= 0", noise);
        }
        List<String> ids = new Scenario(name, seed, topology, (int) count, prefix, rateHz, duration, noise, List.of())
                .deviceIds();
        List<DeviceFault> faults = faults(file, root.get("faults"), ids);
        return new Scenario(name, seed, topology, (int) count, prefix, rateHz, duration, noise, faults);
    }

    private static List<DeviceFault> faults(Path file, JsonNode node, List<String> ids) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw bad(file, "faults", "a list of faults (devices, mode, times)", node);
        }
        List<DeviceFault> faults = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "faults[" + i + "]";
            JsonNode fault = node.get(i);
            if (!fault.isObject()) {
                throw bad(file, at, "a mapping with devices, mode and times", fault);
            }
            String mode = text(file, fault, at + ".mode", null);
            List<String> times = MODE_FIELDS.get(mode);
            if (times == null) {
                throw bad(file, at + ".mode", MODES, mode);
            }
            Set<String> allowed = new HashSet<>(times);
            allowed.add("devices");
            allowed.add("mode");
            requireKnown(file, fault, at + ".", allowed);
            List<String> devices = devices(file, fault.get("devices"), at + ".devices", ids);
            for (String device : devices) {
                if (!taken.add(device)) {
                    throw bad(file, at + ".devices", "each device in one fault only", device);
                }
            }
            faults.add(new DeviceFault(devices, schedule(file, fault, at, mode)));
        }
        return faults;
    }

    private static FaultSchedule schedule(Path file, JsonNode fault, String at, String mode) {
        switch (mode) {
            case FaultSchedule.SUDDEN:
                return new FaultSchedule.Sudden(nonNegative(file, fault, at + ".at"));
            case FaultSchedule.GRADUAL:
                return new FaultSchedule.Gradual(nonNegative(file, fault, at + ".start"),
                        positive(file, fault, at + ".duration"));
            case FaultSchedule.INTERMITTENT:
                double start = nonNegative(file, fault, at + ".start");
                double burst = positive(file, fault, at + ".burst");
                double period = positive(file, fault, at + ".period");
                if (burst >= period) {
                    throw bad(file, at + ".burst", "less than period (" + period + " s)", burst);
                }
                return new FaultSchedule.Intermittent(start, burst, period);
            default:
                return new FaultSchedule.None();
        }
    }

    /** Device ids, or 1-based device numbers (3 = the third device). */
    private static List<String> devices(Path file, JsonNode node, String path, List<String> ids) {
        String expected = "a non-empty list of device ids (" + ids.get(0) + " … " + ids.get(ids.size() - 1)
                + ") or numbers 1.." + ids.size();
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw bad(file, path, expected, node);
        }
        List<String> devices = new ArrayList<>();
        for (JsonNode item : node) {
            String id;
            if (item.isIntegralNumber()) {
                long number = item.asLong();
                if (number < 1 || number > ids.size()) {
                    throw bad(file, path, expected, item);
                }
                id = ids.get((int) number - 1);
            } else if (item.isTextual() && ids.contains(item.asText())) {
                id = item.asText();
            } else {
                throw bad(file, path, expected, item);
            }
            devices.add(id);
        }
        return devices;
    }

    private static JsonNode readTree(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": scenario file not found");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr()
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static void requireKnown(Path file, JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(file + ": field '" + prefix + name + "': unknown; expected one of "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static String text(Path file, JsonNode parent, String path, String fallback) {
        JsonNode node = parent.get(last(path));
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw bad(file, path, "a text value", null);
            }
            return fallback;
        }
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw bad(file, path, "a non-empty text value", node);
        }
        return node.asText();
    }

    private static long integer(Path file, JsonNode parent, String path) {
        JsonNode node = parent.get(last(path));
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw bad(file, path, "an integer", node);
        }
        return node.asLong();
    }

    private static double number(Path file, JsonNode parent, String path, Double fallback) {
        JsonNode node = parent.get(last(path));
        if (node == null && fallback != null) {
            return fallback;
        }
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw bad(file, path, "a number", node);
        }
        return node.asDouble();
    }

    private static double positive(Path file, JsonNode parent, String path) {
        double value = number(file, parent, path, null);
        if (!(value > 0)) {
            throw bad(file, path, "a number > 0", value);
        }
        return value;
    }

    private static double nonNegative(Path file, JsonNode parent, String path) {
        double value = number(file, parent, path, null);
        if (value < 0) {
            throw bad(file, path, "a number >= 0 (seconds from the start)", value);
        }
        return value;
    }

    /** A field error; a YAML scalar is shown as written ({@code many}, not {@code "many"}). */
    private static ConfigException bad(Path file, String path, String expected, Object got) {
        Object shown = got instanceof JsonNode node && node.isValueNode() ? node.asText() : got;
        return ConfigException.field(file, path, expected, shown);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
