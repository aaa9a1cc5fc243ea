package io.vigil.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Kafka client settings every Vigil Kafka client takes (bridge producer and admin, detector's Streams
 * config, replayer): SASL and SSL above all, from a properties file ({@code --kafka-config}) and from
 * the environment, {@code VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL} → {@code security.protocol}
 * (lower case, {@code _} → {@code .}); the environment wins. {@code VIGIL_KAFKA_BOOTSTRAP} and
 * {@code VIGIL_KAFKA_CONFIG} are Vigil's own options, not client properties.
 */
public final class KafkaClientSecurity {

    public static final String ENV_PREFIX = "VIGIL_KAFKA_";
    /** Environment variable naming the properties file when {@code --kafka-config} is not given. */
    public static final String CONFIG_ENV = "VIGIL_KAFKA_CONFIG";
    private static final Set<String> NOT_CLIENT_PROPERTIES = Set.of("VIGIL_KAFKA_BOOTSTRAP", CONFIG_ENV);
    /** Values of these keys are never printed. */
    private static final Pattern SECRET_KEY = Pattern.compile(".*(password|jaas|secret|credential|token|\\.key$).*");

    private KafkaClientSecurity() {
    }

    /**
     * The client properties from {@code file} (null for none) overlaid with {@code VIGIL_KAFKA_*} from {@code env}.
     *
     * @throws IllegalArgumentException one line naming the file when it cannot be read
     */
    public static Map<String, Object> load(Path file, Map<String, String> env) {
        Map<String, Object> config = new TreeMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " (--kafka-config): expected a readable Java properties file ("
                        + e.getClass().getSimpleName() + ")");
            }
            properties.stringPropertyNames().forEach(k -> config.put(k.strip(), properties.getProperty(k).strip()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !NOT_CLIENT_PROPERTIES.contains(name) && name.length() > ENV_PREFIX.length()) {
                config.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return config;
    }

    /** {@code key=value, …} with secret values replaced by {@code (hidden)}: safe to log. */
    public static String describe(Map<String, ?> config) {
        if (config.isEmpty()) {
            return "(none)";
        }
        return new TreeMap<>(config).entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "(hidden)" : e.getValue()))
                .collect(Collectors.joining(", "));
    }

    static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }
}
