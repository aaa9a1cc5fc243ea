package io.vigil.cli;

import io.vigil.security.KafkaClientSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE}: Kafka client properties (SASL, SSL…) for every Kafka client of a command,
 * overlaid with {@code VIGIL_KAFKA_*} environment variables; see {@link KafkaClientSecurity}.
 */
final class KafkaSecurityOptions {

    @Option(names = "--kafka-config", defaultValue = "${env:" + KafkaClientSecurity.CONFIG_ENV + "}", paramLabel = "FILE",
            description = "Kafka client properties for SASL/SSL (security.protocol, sasl.mechanism, sasl.jaas.config,"
                    + " ssl.truststore.location…); VIGIL_KAFKA_<NAME> variables override them, e.g."
                    + " VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL (env " + KafkaClientSecurity.CONFIG_ENV + ")")
    Path file;

    /** The client properties; an unreadable file is one {@link UsageException} line. */
    Map<String, Object> clientConfig() {
        if (file != null && !Files.isReadable(file)) {
            throw new UsageException(file + " (--kafka-config): file not found or not readable");
        }
        try {
            return KafkaClientSecurity.load(file, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
