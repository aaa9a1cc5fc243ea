package io.vigil.replay;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Timestamps of recorded files as they come: epoch milliseconds, or ISO-8601 date-times with or
 * without a zone, with {@code T} or a space between date and time ({@code 2020-03-09 10:14:33},
 * {@code 2014-04-10 07:15:00.000000}, {@code 2020-03-09T10:14:33+01:00}). A time without a zone is
 * read as UTC: SKAB and NAB write local times without saying where, and a fixed zone keeps the gaps
 * between samples as written (no daylight-saving jumps).
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** Epoch ms of {@code text}, or null when it is neither epoch ms nor an ISO-8601 date-time. */
    public static Long parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (isInteger(text)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof ZonedDateTime zoned ? zoned.toInstant().toEpochMilli()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isInteger(String text) {
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
