package io.vigil.config;

import java.nio.file.Path;

/**
 * A configuration, topology or model file that cannot be used. The message is one line naming the
 * file, the field and what was expected, so the CLI can print it as is.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(oneLine(message));
    }

    public ConfigException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Parser messages (SnakeYAML's among them) span lines; the CLI contract is one line. */
    private static String oneLine(String message) {
        return message == null ? null : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    public static ConfigException field(Path file, String field, String expected, Object got) {
        if (got instanceof com.fasterxml.jackson.databind.JsonNode node && node.isValueNode()) {
            got = node.asText(); // a YAML scalar as the user wrote it, without JSON quotes
        }
        return new ConfigException(file + ": field '" + field + "': expected " + expected
                + (got == null ? ", but it is missing" : ", got '" + abbreviate(text(got)) + "'"));
    }

    /** A YAML scalar as the user wrote it ({@code abc}, not the JSON {@code "abc"}). */
    private static String text(Object got) {
        return got instanceof com.fasterxml.jackson.databind.JsonNode node && node.isValueNode() ? node.asText()
                : String.valueOf(got);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
